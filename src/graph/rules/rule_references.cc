#include <unordered_set>

#include "graph/rules/rules.h"

namespace atg::graph {

void ReferencesRule(const ArmBody& r, GraphFragment* out) {
  std::vector<ArmIdRef> refs;
  for (const auto& kv : *r.body) {
    if (kv.key() == "id") continue;  // the body's own id
    if (LooksLikeArmId(kv.key())) refs.push_back({NormalizeArmId(kv.key()), ""});
    CollectArmIdRefs(kv.value(), kv.key(), &refs);
  }
  std::unordered_set<std::string> seen;
  const std::string own_prefix = r.key + "/";
  for (auto& ref : refs) {
    if (ref.id == r.key || ref.id.starts_with(own_prefix)) continue;
    if (!seen.insert(ref.id).second) continue;
    Edge e = MakeEdge(r.key, std::move(ref.id), edge::kReferences);
    json::object props;
    props["path"] = ref.path;
    e.properties = json::serialize(props);
    out->edges.push_back(std::move(e));
  }
}

}  // namespace atg::graph
