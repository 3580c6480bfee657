#include "iac/plan_principals.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "common/strings.h"

namespace atg::iac {
namespace {

constexpr std::string_view kOutsideSelection =
    "outside the selection (--subscription / --resource-group / --type and what the kept "
    "resources reference)";

}  // namespace

void PlanPrincipals(const PlanGraph& g, const std::vector<char>& kept, bool filtered,
                    const std::map<std::string, std::string>& identity_map, Plan* plan) {
  std::vector<char> principal_kept(g.principals.size(), 0);
  for (size_t p = 0; p < g.principals.size(); ++p) {
    const graph::Node& n = g.principals[p];
    auto props = n.Properties();
    const json::object* o = props.ok() ? props->if_object() : nullptr;
    auto sp_type = FindString(o, "servicePrincipalType");
    if (sp_type && EqualsIgnoreCase(*sp_type, "ManagedIdentity")) {
      plan->skipped.push_back({n.key, "",
                               "managed identity service principal: created by Azure with its "
                               "identity"});
      continue;
    }
    principal_kept[p] = filtered ? 2 : 1;  // 2: decided below
  }
  if (filtered) {
    std::vector<size_t> pwork;
    for (size_t i = 0; i < g.arm.size(); ++i) {
      if (!kept[i]) continue;
      for (size_t p : g.principal_refs[i]) {
        if (principal_kept[p] == 2) {
          principal_kept[p] = 1;
          pwork.push_back(p);
        }
      }
    }
    // Members of kept groups come with them.
    std::vector<std::vector<size_t>> members_of(g.principals.size());
    for (auto [m, group] : g.member_of) members_of[group].push_back(m);
    while (!pwork.empty()) {
      size_t group = pwork.back();
      pwork.pop_back();
      for (size_t m : members_of[group]) {
        if (principal_kept[m] == 2) {
          principal_kept[m] = 1;
          pwork.push_back(m);
        }
      }
    }
  }
  std::vector<size_t> principal_planned(g.principals.size(), SIZE_MAX);
  for (size_t p = 0; p < g.principals.size(); ++p) {
    const graph::Node& n = g.principals[p];
    if (principal_kept[p] == 2) {
      plan->skipped.push_back({n.key, "", std::string(kOutsideSelection)});
      continue;
    }
    if (principal_kept[p] != 1) continue;
    PlannedPrincipal pp;
    pp.key = n.key;
    pp.kind = n.label == graph::label::kUser    ? "user"
              : n.label == graph::label::kGroup ? "group"
                                                : "service_principal";
    pp.object_id =
        ToLower(n.original_id.empty() ? n.key.substr(n.key.rfind('/') + 1) : n.original_id);
    if (auto it = identity_map.find(pp.object_id); it != identity_map.end()) {
      pp.target_object_id = it->second;
    }
    auto props = n.Properties();
    if (props.ok() && props->is_object()) {
      for (auto& kv : props->as_object()) {
        std::string_view k = kv.key();
        if (k == "id" || k == "members" || k.rfind("@odata", 0) == 0 ||
            EqualsIgnoreCase(k, "createdDateTime") || EqualsIgnoreCase(k, "deletedDateTime")) {
          continue;
        }
        pp.body[k] = std::move(kv.value());
      }
    }
    auto dn = FindString(&pp.body, "displayName");
    pp.display_name = dn ? std::string(*dn) : n.name;
    principal_planned[p] = plan->principals.size();
    plan->principals.push_back(std::move(pp));
  }
  for (auto [m, group] : g.member_of) {
    if (principal_planned[m] != SIZE_MAX && principal_planned[group] != SIZE_MAX) {
      plan->principals[principal_planned[group]].members.push_back(principal_planned[m]);
    }
  }
  for (auto& pp : plan->principals) {
    std::sort(pp.members.begin(), pp.members.end());
    pp.members.erase(std::unique(pp.members.begin(), pp.members.end()), pp.members.end());
  }
}

}  // namespace atg::iac
