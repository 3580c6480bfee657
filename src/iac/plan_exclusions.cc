#include "iac/plan_exclusions.h"

#include <unordered_map>

#include "common/strings.h"
#include "graph/arm_id.h"
#include "iac/compute_rules.h"

namespace atg::iac {
namespace {

bool IsBuiltInRoleDefinition(const graph::Node& n) {
  if (n.subscription_id.empty()) return true;  // tenant-level
  bool builtin = false;
  auto p = n.Properties();
  if (p.ok() && p->is_object()) {
    const json::object* props = FindObject(&p->as_object(), "properties");
    // ARM writes properties.type; older payloads and Graph write roleType.
    for (const char* field : {"type", "roleType"}) {
      auto rt = FindString(props, field);
      builtin = builtin || (rt && EqualsIgnoreCase(*rt, "BuiltInRole"));
    }
  }
  return builtin;
}

}  // namespace

std::vector<std::string> NeverDeployed(const PlanGraph& g) {
  const std::vector<Candidate>& arm = g.arm;
  std::vector<std::string> reason(arm.size());
  std::unordered_map<std::string, std::string> managed_groups;  // rg key -> managedBy
  for (const Candidate& c : arm) {
    const graph::Node& n = c.node;
    if (n.label != graph::label::kResourceGroup) continue;
    auto p = n.Properties();
    if (p.ok() && p->is_object()) {
      auto by = FindString(&p->as_object(), "managedBy");
      if (by && !by->empty()) managed_groups[n.key] = std::string(*by);
    }
  }
  for (size_t i = 0; i < arm.size(); ++i) {
    const graph::Node& n = arm[i].node;
    if (n.label == graph::label::kSubscription) {
      reason[i] =
          "subscription: not created by IaC; the resources deploy into the target subscription";
    } else if (n.label == graph::label::kRoleDefinition && IsBuiltInRoleDefinition(n)) {
      reason[i] = "built-in role definition: exists in every tenant";
    }
    if (n.type == "microsoft.compute/virtualmachines") {
      // The OS disk a VM creates from its image is created with it, not on its own.
      auto p = n.Properties();
      std::string disk = p.ok() && p->is_object() ? OwnedOsDiskId(p->as_object()) : "";
      if (auto d = g.Find(graph::NormalizeArmId(disk)); !disk.empty() && d) {
        reason[*d] = "OS disk of virtual machine " + n.name + ": created with the virtual machine";
      }
    }
    if (reason[i].empty() && !n.subscription_id.empty() && !n.resource_group.empty()) {
      auto it = managed_groups.find("/subscriptions/" + n.subscription_id + "/resourcegroups/" +
                                    n.resource_group);
      if (it != managed_groups.end()) {
        reason[i] = "in a managed resource group: created and owned by " + it->second;
      }
    }
  }
  return reason;
}

}  // namespace atg::iac
