#include "common/strings.h"
#include "graph/rules/rule_util.h"
#include "graph/rules/rules.h"

namespace atg::graph {

void RoleAssignmentRule(const ArmBody& r, const RuleContext& ctx, GraphFragment* out) {
  if (r.type != "microsoft.authorization/roleassignments") return;
  rules_internal::AddArmEdge(r.key, Find(r.properties, "roleDefinitionId"), edge::kHasRole, out);
  auto principal = FindString(r.properties, "principalId");
  if (!principal || principal->empty()) return;
  std::string kind = ToLower(FindString(r.properties, "principalType").value_or(""));
  std::string to;
  if (kind == "user") {
    to = UserKey(*principal);
  } else if (kind == "group" || kind == "foreigngroup") {
    to = GroupKey(*principal);
  } else if (kind == "serviceprincipal") {
    to = ServicePrincipalKey(*principal);
  } else {
    std::optional<std::string> resolved;
    if (ctx.resolve_directory_object) resolved = ctx.resolve_directory_object(*principal);
    to = resolved ? *resolved : DirectoryObjectKey(*principal);
  }
  out->edges.push_back(MakeEdge(r.key, std::move(to), edge::kAssignedTo));
}

}  // namespace atg::graph
