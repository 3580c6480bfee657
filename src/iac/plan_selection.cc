#include "iac/plan_selection.h"

#include <algorithm>

#include "graph/arm_id.h"

namespace atg::iac {
namespace {

bool Contains(const std::vector<std::string>& lower_values, std::string_view v) {
  return std::find(lower_values.begin(), lower_values.end(), v) != lower_values.end();
}

}  // namespace

Result<std::vector<char>> SelectResources(PlanGraph& g, const SelectionFilters& filters,
                                          const std::vector<std::string>& never,
                                          BodyStage& bodies) {
  const bool filtered = filters.any();
  std::vector<char> kept(g.arm.size(), 0);
  std::vector<size_t> work;
  auto keep = [&](size_t i) {
    if (kept[i] || !never[i].empty()) return;
    kept[i] = 1;
    work.push_back(i);
  };
  for (size_t i = 0; i < g.arm.size(); ++i) {
    const graph::Node& n = g.arm[i].node;
    if (!filters.subscriptions.empty() && !Contains(filters.subscriptions, n.subscription_id)) {
      continue;
    }
    if (!filters.resource_groups.empty() && !Contains(filters.resource_groups, n.resource_group)) {
      continue;
    }
    if (!filters.types.empty() && !Contains(filters.types, n.type)) continue;
    keep(i);
  }
  while (!work.empty()) {
    size_t i = work.back();
    work.pop_back();
    ATG_RETURN_IF_ERROR(bodies.Prepare(&g.arm[i]));
    const graph::Node& n = g.arm[i].node;
    // Parents, scopes and the resource group.
    for (const std::string& a : graph::ArmIdAncestors(n.key)) {
      if (auto it = g.arm_index.find(a); it != g.arm_index.end()) keep(it->second);
    }
    if (!filtered) continue;
    for (const RawRef& r : g.arm[i].refs) {
      if (auto t = g.Resolve(r.id)) keep(*t);
    }
    for (size_t t : g.follows[i]) keep(t);
    // Children and extensions (subnets, role assignments, diagnostic settings) of a kept
    // resource come with it; a resource group pulled in as a container does not bring its
    // other resources.
    if (n.label != graph::label::kResourceGroup && n.label != graph::label::kSubscription) {
      for (size_t c : g.children[i]) keep(c);
    }
  }
  return kept;
}

}  // namespace atg::iac
