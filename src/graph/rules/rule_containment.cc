#include "graph/rules/rules.h"

namespace atg::graph {

void ContainmentRule(const ArmBody& r, const RuleContext& ctx, GraphFragment* out) {
  std::string parent =
      r.id.parent_id.empty() ? TenantKey(ctx.tenant_id) : NormalizeArmId(r.id.parent_id);
  out->edges.push_back(MakeEdge(std::move(parent), r.key, edge::kContains));
}

}  // namespace atg::graph
