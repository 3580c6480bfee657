#include "scan/roles_pass.h"

#include "graph/arm_id.h"
#include "scan/api_versions.h"
#include "scan/arm_pass.h"

namespace atg::scan {
namespace {

std::string AuthorizationScope(const std::string& sub) {
  return "/subscriptions/" + sub + "/providers/Microsoft.Authorization/";
}

}  // namespace

void SubmitRoleDefinitions(const ScanRun& run, const std::string& sub) {
  std::string scope = AuthorizationScope(sub) + "roleDefinitions";
  SubmitArmList(run, run.arm + scope + "?api-version=" + std::string(kRoleDefinitionsApiVersion),
                scope, {});
}

void SubmitRoleAssignments(const ScanRun& run, const std::string& sub) {
  ArmListOptions o;
  if (run.opts.filtered()) {
    // Only the assignments on what this scan kept (or above it).
    o.keep = [&run](const json::object& ra) {
      auto parsed = graph::ParseArmId(FindString(&ra, "id").value_or(""));
      if (!parsed.ok()) return false;
      std::string scope = graph::NormalizeArmId(parsed->extension_scope);
      if (scope.empty() || scope.find("/resourcegroups/") == std::string::npos) return true;
      return run.ledger.HasArm(scope);
    };
  }
  std::string scope = AuthorizationScope(sub) + "roleAssignments";
  SubmitArmList(run, run.arm + scope + "?api-version=" + std::string(kRoleAssignmentsApiVersion),
                scope, std::move(o));
}

}  // namespace atg::scan
