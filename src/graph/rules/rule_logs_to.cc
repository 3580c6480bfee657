#include "graph/rules/rule_util.h"
#include "graph/rules/rules.h"

namespace atg::graph {

using rules_internal::AddArmEdge;

void LogsToRule(const ArmBody& r, GraphFragment* out) {
  if (r.type == "microsoft.insights/diagnosticsettings") {
    const json::value* workspace = FindIgnoreCase(r.properties, "workspaceId");
    AddArmEdge(r.key, workspace, edge::kLogsTo, out);
    if (!r.id.extension_scope.empty()) {
      AddArmEdge(NormalizeArmId(r.id.extension_scope), workspace, edge::kLogsTo, out);
    }
    return;
  }
  AddArmEdge(r.key, FindIgnoreCase(r.properties, "WorkspaceResourceId"), edge::kLogsTo, out);
}

}  // namespace atg::graph
