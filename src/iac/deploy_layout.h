// How a Plan splits into deployments for the formats that deploy per resource group (Bicep, ARM):
// one subscription-scope file holds the resource groups and the subscription-level resources,
// and each resource group gets its own nested deployment (ARM) or module (Bicep). This decides
// that split once, with the order between the deployments, so both emitters agree.
//
// Thread-safety: a value computed by a pure function.
#ifndef ATG_IAC_DEPLOY_LAYOUT_H_
#define ATG_IAC_DEPLOY_LAYOUT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "iac/plan.h"

namespace atg::iac {

// A unit of the subscription-scope file: a resource group resource, a subscription-level
// resource, or the deployment of one resource group's resources.
struct OuterItem {
  enum Kind { kResourceGroup, kSubscriptionResource, kGroupDeployment } kind;
  size_t index = 0;  // a Plan::resources index, or (kGroupDeployment) a DeployLayout::groups index
  bool operator==(const OuterItem&) const = default;
  auto operator<=>(const OuterItem&) const = default;
};

struct DeployGroup {
  std::string subscription_id;           // target subscription
  std::string name;                      // resource group name as first written
  std::string deployment_name;           // a valid, stable deployment / module name (<= 64 chars)
  std::string location;                  // of the resource group resource; "" when not planned
  std::optional<size_t> resource_group;  // the Plan::resources entry of the group, if planned
  std::vector<size_t> members;           // Plan::resources indexes, in plan order
  // What this group's deployment waits for, outside the group itself (sorted, unique).
  std::vector<OuterItem> depends_on;
};

struct DeployLayout {
  // The subscription the outer file is deployed to: HomeSubscription(plan), the one Terraform's
  // default provider targets too.
  std::string home_subscription;
  std::vector<DeployGroup> groups;  // in order of first appearance in the plan
  // Outer resources (resource groups and subscription-level ones), in plan order.
  std::vector<size_t> outer;
  // Per Plan::resources index: the group that holds it, or -1 for outer resources.
  std::vector<int> group_of;
  // Per Plan::resources index of an outer resource: what it waits for (sorted, unique).
  std::vector<std::vector<OuterItem>> outer_depends_on;
  // Human-readable lines for Emitted::notes (groups that must already exist, broken cycles...).
  std::vector<std::string> notes;
};

// `create_resource_groups` false: the groups are not deployed (they must exist), so they are
// neither outer items nor module scopes by symbol.
DeployLayout ComputeDeployLayout(const Plan& plan, bool create_resource_groups = true);

}  // namespace atg::iac

#endif  // ATG_IAC_DEPLOY_LAYOUT_H_
