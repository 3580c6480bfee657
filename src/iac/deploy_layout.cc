#include "iac/deploy_layout.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <unordered_map>
#include <utility>

#include "common/strings.h"

namespace atg::iac {
namespace {

std::string GroupKey(std::string_view subscription, std::string_view group) {
  std::string key = ToLower(subscription);
  key += '/';
  key += ToLower(group);
  return key;
}

// Deployment names allow 1-64 of [-\w._()]; resource group names allow 90 of nearly the same.
std::string DeploymentName(std::string_view group) {
  std::string out;
  out.reserve(group.size());
  for (char c : group) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '(' || c == ')';
    out += ok ? c : '-';
  }
  if (out.empty()) out = "group";
  if (out.size() > 64) {
    uint32_t h = 2166136261u;  // FNV-1a keeps long names distinct and stable
    for (char c : group) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", h);
    out.resize(55);
    out += '-';
    out += hex;
  }
  return out;
}

void SortUnique(std::vector<OuterItem>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

DeployLayout ComputeDeployLayout(const Plan& plan, bool create_resource_groups) {
  DeployLayout layout;
  const size_t n = plan.resources.size();
  layout.group_of.assign(n, -1);
  layout.outer_depends_on.resize(n);
  if (n == 0) return layout;
  layout.home_subscription = HomeSubscription(plan);

  std::unordered_map<std::string, int> group_by_key;
  auto group_for = [&](const std::string& subscription, const std::string& name) -> int {
    auto [it, inserted] =
        group_by_key.emplace(GroupKey(subscription, name), static_cast<int>(layout.groups.size()));
    if (inserted) {
      DeployGroup g;
      g.subscription_id = subscription;
      g.name = name;
      g.deployment_name = DeploymentName(name);
      layout.groups.push_back(std::move(g));
    }
    return it->second;
  };

  std::vector<bool> in_outer(n, false);
  for (size_t i = 0; i < n; ++i) {
    const PlannedResource& r = plan.resources[i];
    if (r.is_resource_group) {
      DeployGroup& g = layout.groups[group_for(r.subscription_id, r.name)];
      if (!create_resource_groups) continue;
      if (!EqualsIgnoreCase(r.subscription_id, layout.home_subscription)) {
        layout.notes.push_back("resource group " + r.name + " of subscription " +
                               r.subscription_id +
                               " is not created by the template (it deploys to subscription " +
                               layout.home_subscription + "): create it before deploying");
        continue;
      }
      g.resource_group = i;
      g.location = r.location;
      layout.outer.push_back(i);
      in_outer[i] = true;
    } else if (r.resource_group.empty()) {
      layout.outer.push_back(i);
      in_outer[i] = true;
    } else {
      int g = group_for(r.subscription_id, r.resource_group);
      layout.groups[g].members.push_back(i);
      layout.group_of[i] = g;
    }
  }
  if (!create_resource_groups && !layout.groups.empty()) {
    layout.notes.push_back("the templates do not create resource groups (as asked): create the " +
                           std::to_string(layout.groups.size()) +
                           " groups they deploy into before deploying");
  }
  for (const DeployGroup& g : layout.groups) {
    if (create_resource_groups && !g.resource_group &&
        EqualsIgnoreCase(g.subscription_id, layout.home_subscription)) {
      layout.notes.push_back("resource group " + g.name +
                             " is not in the plan: it must exist before deploying");
    }
  }

  // Returns false for dependencies that are not deployed by these files.
  auto item_of = [&](size_t j, OuterItem* item) {
    if (layout.group_of[j] >= 0) {
      *item = {OuterItem::kGroupDeployment, static_cast<size_t>(layout.group_of[j])};
      return true;
    }
    if (!in_outer[j]) return false;
    *item = {plan.resources[j].is_resource_group ? OuterItem::kResourceGroup
                                                 : OuterItem::kSubscriptionResource,
             j};
    return true;
  };
  for (size_t gi = 0; gi < layout.groups.size(); ++gi) {
    DeployGroup& g = layout.groups[gi];
    if (g.resource_group) g.depends_on.push_back({OuterItem::kResourceGroup, *g.resource_group});
    for (size_t m : g.members) {
      for (size_t d : plan.resources[m].depends_on) {
        OuterItem item;
        if (d >= n || !item_of(d, &item)) continue;
        if (item.kind == OuterItem::kGroupDeployment && item.index == gi) continue;
        g.depends_on.push_back(item);
      }
    }
    SortUnique(g.depends_on);
  }
  for (size_t x : layout.outer) {
    auto& deps = layout.outer_depends_on[x];
    for (size_t d : plan.resources[x].depends_on) {
      OuterItem item;
      if (d >= n || d == x || !item_of(d, &item)) continue;
      deps.push_back(item);
    }
    SortUnique(deps);
  }

  // Resource-level dependencies are acyclic, but grouping can close a cycle (a -> B's x, B's y ->
  // a). Depth-first search in a fixed order; every back edge is dropped and reported.
  const size_t outer_count = n;  // node ids: resource index for outer items, n + g for groups
  auto node_of = [&](const OuterItem& it) {
    return it.kind == OuterItem::kGroupDeployment ? outer_count + it.index : it.index;
  };
  auto edges_of = [&](size_t node) -> std::vector<OuterItem>& {
    return node >= outer_count ? layout.groups[node - outer_count].depends_on
                               : layout.outer_depends_on[node];
  };
  auto describe = [&](size_t node) {
    return node >= outer_count
               ? "the deployment of resource group " + layout.groups[node - outer_count].name
               : plan.resources[node].key;
  };
  std::vector<uint8_t> color(n + layout.groups.size(), 0);  // 0 new, 1 on stack, 2 done
  std::vector<std::pair<size_t, size_t>> dropped;           // (node, edge position)
  std::vector<size_t> roots(layout.outer.begin(), layout.outer.end());
  for (size_t g = 0; g < layout.groups.size(); ++g) roots.push_back(outer_count + g);
  for (size_t root : roots) {
    if (color[root]) continue;
    std::vector<std::pair<size_t, size_t>> stack{{root, 0}};
    color[root] = 1;
    while (!stack.empty()) {
      auto& [node, pos] = stack.back();
      auto& edges = edges_of(node);
      if (pos == edges.size()) {
        color[node] = 2;
        stack.pop_back();
        continue;
      }
      size_t next = node_of(edges[pos]);
      size_t here = pos++;
      if (color[next] == 1) {
        dropped.emplace_back(node, here);
      } else if (color[next] == 0) {
        color[next] = 1;
        stack.emplace_back(next, 0);
      }
    }
  }
  std::sort(dropped.begin(), dropped.end());
  for (auto it = dropped.rbegin(); it != dropped.rend(); ++it) {
    auto& edges = edges_of(it->first);
    layout.notes.push_back("deployment order: " + describe(it->first) + " cannot wait for " +
                           describe(node_of(edges[it->second])) +
                           " (they depend on each other); deploy twice if the first run fails");
    edges.erase(edges.begin() + static_cast<std::ptrdiff_t>(it->second));
  }
  return layout;
}

}  // namespace atg::iac
