#include "graph/rules/rules.h"

namespace atg::graph {

void TagRule(const ArmBody& r, GraphFragment* out) {
  const json::object* tags = FindObject(r.body, "tags");
  if (tags == nullptr) return;
  for (const auto& kv : *tags) {
    std::string value;
    if (kv.value().is_string()) {
      value = std::string(kv.value().get_string());
    } else if (!kv.value().is_null()) {
      value = json::serialize(kv.value());
    }
    Node tag = TagNode(kv.key(), value);
    out->edges.push_back(MakeEdge(r.key, tag.key, edge::kTaggedWith));
    out->nodes.push_back(std::move(tag));
  }
}

}  // namespace atg::graph
