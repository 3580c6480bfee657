#include "common/strings.h"
#include "graph/rules/rules.h"

namespace atg::graph {

void UsesIdentityRule(const ArmBody& r, GraphFragment* out) {
  const json::object* identity = FindObject(r.body, "identity");
  if (identity == nullptr) return;
  auto type = FindString(identity, "type");
  bool system_assigned = type && ToLower(*type).find("systemassigned") != std::string::npos;
  auto principal = FindString(identity, "principalId");
  if (principal && !principal->empty() && (system_assigned || !type)) {
    out->edges.push_back(MakeEdge(r.key, ServicePrincipalKey(*principal), edge::kUsesIdentity));
  }
  if (const json::object* uai = FindObject(identity, "userAssignedIdentities")) {
    for (const auto& kv : *uai) {
      if (LooksLikeArmId(kv.key())) {
        out->edges.push_back(MakeEdge(r.key, NormalizeArmId(kv.key()), edge::kUsesIdentity));
      }
    }
  }
}

}  // namespace atg::graph
