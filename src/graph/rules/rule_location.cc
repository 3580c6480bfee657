#include "graph/rules/rules.h"

namespace atg::graph {

void LocationRule(const ArmBody& r, GraphFragment* out) {
  auto location = FindString(r.body, "location");
  if (!location) return;
  Node region = RegionNode(*location);
  if (region.name.empty()) return;
  out->edges.push_back(MakeEdge(r.key, region.key, edge::kLocatedIn));
  out->nodes.push_back(std::move(region));
}

}  // namespace atg::graph
