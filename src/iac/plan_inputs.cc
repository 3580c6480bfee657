#include "iac/plan_inputs.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "iac/symbols.h"

namespace atg::iac {

void AssignInputs(const PlanGraph& g, const std::vector<InputSlots>& slots, Plan* plan) {
  std::set<std::string> taken;
  for (const auto& r : plan->resources) taken.insert(r.symbol);
  for (const auto& p : plan->principals) taken.insert(p.symbol);
  std::set<std::string> unmapped_ids;
  auto add_input = [&](size_t k, const std::string& field, std::string description,
                       std::string path, bool secret) {
    std::string base = plan->resources[k].symbol + "_" + SnakeCase(field);
    std::string name = base;
    for (int n = 2; taken.count(name) > 0; ++n) name = base + "_" + std::to_string(n);
    taken.insert(name);
    plan->inputs.push_back({name, std::move(description), secret, k, std::move(path)});
  };
  for (size_t k = 0; k < plan->resources.size(); ++k) {
    for (const SecretSlot& s : slots[k].secrets) {
      add_input(k, s.field,
                s.description + " of " + plan->resources[k].type + " " +
                    plan->resources[k].arm_name + " (" + s.path + ")",
                s.path, true);
    }
    for (const SecretSlot& s : slots[k].public_inputs) {
      add_input(k, s.field,
                s.description + " on " + plan->resources[k].type + " " +
                    plan->resources[k].arm_name + " (" + s.path + ")",
                s.path, false);
    }
    for (const UnmappedSlot& u : slots[k].unmapped) {
      unmapped_ids.insert(u.source_id);
      std::string who;
      for (const char* prefix : {"/users/", "/groups/", "/servicePrincipals/"}) {
        auto it = g.principal_index.find(prefix + u.source_id);
        if (it != g.principal_index.end()) {
          who = " (" + g.principals[it->second].name + ")";
          break;
        }
      }
      add_input(k, u.field,
                "object id in the target tenant of source principal " + u.source_id + who +
                    ", used by " + plan->resources[k].type + " " + plan->resources[k].arm_name +
                    " (" + u.path + "); add it to --identity-map to fill it in",
                u.path, false);
    }
  }
  std::sort(plan->inputs.begin(), plan->inputs.end(),
            [](const Input& a, const Input& b) { return a.name < b.name; });
  plan->unmapped_principals.assign(unmapped_ids.begin(), unmapped_ids.end());
}

}  // namespace atg::iac
