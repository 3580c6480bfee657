#include "graph/rules/rules.h"

namespace atg::graph {

Result<GraphFragment> BuildArmFragment(const json::object& body, const RuleContext& ctx) {
  auto node = NodeFromArmResource(body);
  if (!node.ok()) return node.status();
  auto r = ArmBody::From(body);
  if (!r.ok()) return r.status();
  GraphFragment out;
  out.nodes.push_back(std::move(node.value()));
  ContainmentRule(*r, ctx, &out);
  ReferencesRule(*r, &out);
  UsesRule(*r, &out);
  ConnectedToRule(*r, &out);
  SecuredByRule(*r, &out);
  UsesIdentityRule(*r, &out);
  RoleAssignmentRule(*r, ctx, &out);
  TagRule(*r, &out);
  LocationRule(*r, &out);
  LogsToRule(*r, &out);
  return out;
}

Result<GraphFragment> BuildDirectoryFragment(DirectoryKind kind, const json::object& body,
                                             const RuleContext& ctx) {
  auto node = NodeFromDirectoryObject(kind, body);
  if (!node.ok()) return node.status();
  GraphFragment out;
  out.nodes.push_back(std::move(node.value()));
  if (kind == DirectoryKind::kGroup) MemberOfRule(body, ctx, &out);
  return out;
}

}  // namespace atg::graph
