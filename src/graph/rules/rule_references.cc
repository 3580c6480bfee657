#include <unordered_set>

#include "graph/rules/rules.h"

namespace atg::graph {

void ReferencesRule(const ArmBody& r, GraphFragment* out) {
  std::vector<std::string> ids;
  for (const auto& kv : *r.body) {
    if (kv.key() == "id") continue;  // the body's own id
    if (LooksLikeArmId(kv.key())) ids.push_back(NormalizeArmId(kv.key()));
    CollectArmIds(kv.value(), &ids);
  }
  std::unordered_set<std::string> seen;
  const std::string own_prefix = r.key + "/";
  for (auto& id : ids) {
    if (id == r.key || id.starts_with(own_prefix)) continue;
    if (!seen.insert(id).second) continue;
    out->edges.push_back(MakeEdge(r.key, std::move(id), edge::kReferences));
  }
}

}  // namespace atg::graph
