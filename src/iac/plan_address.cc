#include "iac/plan_address.h"

#include "common/arm_id.h"
#include "common/strings.h"

namespace atg::iac {

void DeriveAddress(PlannedResource* r) {
  r->literal_scope.clear();
  auto id = ParseArmId(r->id);
  if (r->is_resource_group) {
    r->names = {r->name};
  } else if (id.ok() && !id->names.empty()) {
    r->names = id->names;
    // An extension of something the plan does not emit keeps that scope as a literal id
    // (subscriptions and resource groups are always addressable without a symbol).
    if (!r->scope && id->is_extension()) {
      auto scope = ParseArmIdView(id->extension_scope);
      if (scope.ok() && !scope->is_subscription() && !scope->is_resource_group()) {
        r->literal_scope = id->extension_scope;
      }
    }
  } else {
    r->names = Split(r->arm_name.empty() ? r->name : r->arm_name, '/');
  }
  if (id.ok()) {
    r->parent_id = id->parent_id;
  } else if (!r->resource_group.empty()) {
    r->parent_id = "/subscriptions/" + r->subscription_id + "/resourceGroups/" + r->resource_group;
  } else if (!r->subscription_id.empty()) {
    r->parent_id = "/subscriptions/" + r->subscription_id;
  } else {
    r->parent_id.clear();
  }
}

}  // namespace atg::iac
