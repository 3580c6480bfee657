// Small plans for the Terraform emitter's unit tests.
#ifndef ATG_IAC_TERRAFORM_TEST_PLAN_H_
#define ATG_IAC_TERRAFORM_TEST_PLAN_H_

#include <string>

#include "common/strings.h"
#include "iac/plan.h"
#include "iac/plan_address.h"

namespace atg::iac::testing {

inline constexpr char kSub[] = "00000000-0000-0000-0000-0000000000aa";

// Appends a resource and returns its index. `type` "Microsoft.Resources/resourceGroups" makes
// a resource group entry.
inline size_t AddResource(Plan* plan, const std::string& type, const std::string& arm_name,
                          const std::string& rg, const std::string& symbol,
                          const std::string& body_json = "{}", const std::string& sub = kSub) {
  PlannedResource r;
  r.type = type;
  r.api_version = "2024-01-01";
  r.arm_name = arm_name;
  r.name = arm_name.substr(arm_name.rfind('/') + 1);
  r.subscription_id = sub;
  r.symbol = symbol;
  r.location = "westeurope";
  r.is_resource_group = type == "Microsoft.Resources/resourceGroups";
  if (r.is_resource_group) {
    r.id = "/subscriptions/" + sub + "/resourceGroups/" + arm_name;
  } else {
    r.resource_group = rg;
    std::string id = "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/";
    const size_t slash = type.find('/');
    id += type.substr(0, slash);
    std::vector<std::string> types = Split(type.substr(slash + 1), '/');
    std::vector<std::string> names = Split(arm_name, '/');
    for (size_t i = 0; i < types.size() && i < names.size(); ++i) {
      id += "/" + types[i] + "/" + names[i];
    }
    r.id = id;
  }
  r.key = ToLower(r.id);
  r.source_id = r.id;
  r.body = json::parse(body_json).as_object();
  DeriveAddress(&r);
  plan->resources.push_back(std::move(r));
  return plan->resources.size() - 1;
}

// Adds a reference from `from` at `path` to `to` (and the dependency).
inline void AddReference(Plan* plan, size_t from, const std::string& path, size_t to,
                         const std::string& suffix = "") {
  PlannedResource& r = plan->resources[from];
  r.references.push_back({path, to, suffix});
  std::sort(r.references.begin(), r.references.end(),
            [](const Reference& a, const Reference& b) { return a.path < b.path; });
  if (std::find(r.depends_on.begin(), r.depends_on.end(), to) == r.depends_on.end()) {
    r.depends_on.push_back(to);
    std::sort(r.depends_on.begin(), r.depends_on.end());
  }
}

inline void AddDependency(Plan* plan, size_t from, size_t to) {
  PlannedResource& r = plan->resources[from];
  if (std::find(r.depends_on.begin(), r.depends_on.end(), to) == r.depends_on.end()) {
    r.depends_on.push_back(to);
    std::sort(r.depends_on.begin(), r.depends_on.end());
  }
}

}  // namespace atg::iac::testing

#endif  // ATG_IAC_TERRAFORM_TEST_PLAN_H_
