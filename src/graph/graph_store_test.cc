#include "graph/graph_store.h"

#include <gtest/gtest.h>

namespace atg::graph {
namespace {

TEST(ScanScopeTest, CoversFollowsFilters) {
  ScanScope full{"t", {}, {}, {}, true, true};
  EXPECT_TRUE(full.Covers("Resource", "microsoft.network/networkinterfaces", "s1", "rg"));
  EXPECT_TRUE(full.Covers("User", "", "", ""));
  EXPECT_FALSE(full.Covers("Tenant", "", "", ""));
  EXPECT_FALSE(full.Covers("Tag", "", "", ""));
  EXPECT_FALSE(full.Covers("Region", "", "", ""));

  ScanScope rg{"t", {"S1"}, {"RG-A"}, {}, true, false};
  EXPECT_TRUE(rg.Covers("Resource", "x/y", "s1", "rg-a"));
  EXPECT_TRUE(rg.Covers("ResourceGroup", "microsoft.resources/resourcegroups", "s1", "rg-a"));
  EXPECT_FALSE(rg.Covers("Subscription", "microsoft.resources/subscriptions", "s1", ""));
  EXPECT_FALSE(rg.Covers("Resource", "x/y", "s2", "rg-a"));
  EXPECT_FALSE(rg.Covers("Resource", "x/y", "s1", "rg-b"));
  EXPECT_FALSE(rg.Covers("Group", "", "", ""));

  ScanScope types{"t", {}, {}, {"Microsoft.Compute/virtualMachines"}, true, true};
  EXPECT_TRUE(types.Covers("Resource", "microsoft.compute/virtualmachines", "s", "rg"));
  EXPECT_FALSE(types.Covers("ResourceGroup", "microsoft.resources/resourcegroups", "s", "rg"));

  ScanScope directory_only{"t", {}, {}, {}, false, true};
  EXPECT_FALSE(directory_only.Covers("Resource", "x/y", "s", "rg"));
  EXPECT_TRUE(directory_only.Covers("ServicePrincipal", "", "", ""));
}

TEST(GraphStatsTest, JsonHasTheScanSummaryFieldsEvenWithoutAReport) {
  GraphStats stats;
  stats.tenant_id = "t";
  stats.by_type["microsoft.compute/virtualmachines"] = 2;
  json::object j = stats.ToJson();
  EXPECT_EQ(j.at("by_type").at("microsoft.compute/virtualmachines").as_int64(), 2);
  EXPECT_TRUE(j.at("failed_scopes").as_array().empty());
  EXPECT_EQ(j.at("requests").at("arm").as_int64(), 0);
  EXPECT_FALSE(j.contains("last_scan_at"));
}

TEST(ValidateTenantIdTest, AcceptsGuidsAndDomainsOnly) {
  EXPECT_TRUE(ValidateTenantId("72f988bf-86f1-41af-91ab-2d7cd011db47").ok());
  EXPECT_TRUE(ValidateTenantId("contoso.onmicrosoft.com").ok());
  EXPECT_TRUE(ValidateTenantId("my_tenant").ok());
  for (const char* bad : {"", "../x", "a/b", "..", ".x", "-x", "a..b", "a b", "a\\b", "%2e%2e"}) {
    EXPECT_FALSE(ValidateTenantId(bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidateTenantId(std::string(129, 'a')).ok());
}

}  // namespace
}  // namespace atg::graph
