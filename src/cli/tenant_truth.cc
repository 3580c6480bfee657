#include "cli/tenant_truth.h"

#include <fmt/format.h>

#include <set>

#include "common/strings.h"

namespace atg::cli {

TenantCounts CountTenant(const sim::Tenant& tenant) {
  TenantCounts c;
  c.subscriptions = static_cast<int64_t>(tenant.subscriptions.size());
  c.resource_groups = static_cast<int64_t>(tenant.resource_groups.size());
  c.resources = static_cast<int64_t>(tenant.resources.size());
  for (const auto& r : tenant.resources) {
    auto type = FindString(&r.as_object(), "type");
    ++c.by_type[ToLower(type.value_or(""))];
  }
  c.users = static_cast<int64_t>(tenant.users.size());
  c.groups = static_cast<int64_t>(tenant.groups.size());
  c.service_principals = static_cast<int64_t>(tenant.service_principals.size());
  return c;
}

TenantCounts CountSummary(const scan::ScanSummary& s) {
  TenantCounts c;
  c.subscriptions = s.subscriptions;
  c.resource_groups = s.resource_groups;
  c.resources = s.resources;
  c.by_type = s.by_type;
  c.users = s.users;
  c.groups = s.groups;
  c.service_principals = s.service_principals;
  return c;
}

std::vector<std::string> CompareCounts(const TenantCounts& scanned, const TenantCounts& truth) {
  std::vector<std::string> out;
  auto cmp = [&](const std::string& what, int64_t a, int64_t b) {
    if (a != b) out.push_back(fmt::format("{}: scanned {}, tenant has {}", what, a, b));
  };
  cmp("subscriptions", scanned.subscriptions, truth.subscriptions);
  cmp("resource groups", scanned.resource_groups, truth.resource_groups);
  cmp("resources", scanned.resources, truth.resources);
  std::set<std::string> types;
  for (const auto& [t, n] : scanned.by_type) types.insert(t);
  for (const auto& [t, n] : truth.by_type) types.insert(t);
  for (const auto& t : types) {
    auto a = scanned.by_type.find(t);
    auto b = truth.by_type.find(t);
    cmp(t, a == scanned.by_type.end() ? 0 : a->second, b == truth.by_type.end() ? 0 : b->second);
  }
  cmp("users", scanned.users, truth.users);
  cmp("groups", scanned.groups, truth.groups);
  cmp("service principals", scanned.service_principals, truth.service_principals);
  return out;
}

}  // namespace atg::cli
