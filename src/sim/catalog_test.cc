#include "sim/catalog.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "common/strings.h"

namespace atg::sim {
namespace {

TEST(CatalogTest, HasEveryRequiredTypeInCanonicalCasing) {
  const char* kRequired[] = {
      "Microsoft.Network/virtualNetworks",
      "Microsoft.Network/virtualNetworks/subnets",
      "Microsoft.Network/networkInterfaces",
      "Microsoft.Network/networkSecurityGroups",
      "Microsoft.Network/networkSecurityGroups/securityRules",
      "Microsoft.Network/publicIPAddresses",
      "Microsoft.Network/loadBalancers",
      "Microsoft.Network/applicationGateways",
      "Microsoft.Network/azureFirewalls",
      "Microsoft.Network/privateEndpoints",
      "Microsoft.Network/privateDnsZones",
      "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
      "Microsoft.Network/networkWatchers",
      "Microsoft.Network/routeTables",
      "Microsoft.Network/frontDoors",
      "Microsoft.Compute/virtualMachines",
      "Microsoft.Compute/virtualMachines/extensions",
      "Microsoft.Compute/disks",
      "Microsoft.Compute/availabilitySets",
      "Microsoft.Compute/virtualMachineScaleSets",
      "Microsoft.Storage/storageAccounts",
      "Microsoft.KeyVault/vaults",
      "Microsoft.Web/serverFarms",
      "Microsoft.Web/sites",
      "Microsoft.Web/sites/slots",
      "Microsoft.Sql/servers",
      "Microsoft.Sql/servers/databases",
      "Microsoft.Sql/servers/firewallRules",
      "Microsoft.ContainerService/managedClusters",
      "Microsoft.ContainerRegistry/registries",
      "Microsoft.OperationalInsights/workspaces",
      "Microsoft.Insights/components",
      "Microsoft.ManagedIdentity/userAssignedIdentities",
      "Microsoft.DocumentDB/databaseAccounts",
      "Microsoft.ServiceBus/namespaces",
      "Microsoft.EventHub/namespaces",
      "Microsoft.Cache/Redis",
      "Microsoft.Authorization/roleAssignments",
      "Microsoft.Authorization/roleDefinitions",
      "Microsoft.Insights/diagnosticSettings",
      "Microsoft.ContainerInstance/containerGroups",
      "Microsoft.RecoveryServices/vaults",
      "Microsoft.Cdn/profiles",
  };
  for (const char* type : kRequired) {
    const ResourceTypeInfo* info = FindResourceType(type);
    ASSERT_NE(info, nullptr) << type;
    EXPECT_EQ(info->type, type);
  }
  EXPECT_EQ(FindResourceType("Microsoft.Resources/resourceGroups"), nullptr)
      << "resource groups are not resources";
  std::set<std::string> seen;
  for (const auto& t : ResourceTypeCatalog()) {
    EXPECT_TRUE(seen.insert(ToLower(t.type)).second) << "listed twice: " << t.type;
  }
}

TEST(CatalogTest, LookUpIgnoresCase) {
  const ResourceTypeInfo* a = FindResourceType("microsoft.network/virtualnetworks/SUBNETS");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->type, "Microsoft.Network/virtualNetworks/subnets");
  EXPECT_EQ(FindResourceType("Microsoft.Cache/redis"), FindResourceType("MICROSOFT.CACHE/REDIS"));
  EXPECT_EQ(FindResourceType("Microsoft.Network/virtualNetwork"), nullptr);
  EXPECT_EQ(FindResourceType(""), nullptr);
  EXPECT_EQ(FindResourceType(std::string(500, 'x')), nullptr);
}

TEST(CatalogTest, ApiVersionsAreRealDatesStableFirstNewestFirst) {
  std::regex form(R"(\d{4}-\d{2}-\d{2}(-preview)?)");
  for (const auto& t : ResourceTypeCatalog()) {
    ASSERT_FALSE(t.api_versions.empty()) << t.type;
    bool seen_preview = false;
    std::string last_stable = "9999";
    for (const auto& v : t.api_versions) {
      EXPECT_TRUE(std::regex_match(v, form)) << t.type << " " << v;
      bool preview = v.find("preview") != std::string::npos;
      if (!preview) {
        EXPECT_FALSE(seen_preview) << t.type << ": stable " << v << " after a preview";
        EXPECT_LT(v, last_stable) << t.type << ": stable versions must be newest first";
        last_stable = v;
      }
      seen_preview = seen_preview || preview;
    }
  }
}

TEST(CatalogTest, ChildAndExtensionFlags) {
  struct Case {
    const char* type;
    bool in_rg;
    bool child;
    const char* inlined;
    bool extension;
  };
  const Case kCases[] = {
      {"Microsoft.Network/virtualNetworks/subnets", false, true, "subnets", false},
      {"Microsoft.Network/networkSecurityGroups/securityRules", false, true, "securityRules",
       false},
      {"Microsoft.Network/privateDnsZones/virtualNetworkLinks", true, true, "", false},
      {"Microsoft.Compute/virtualMachines/extensions", true, true, "", false},
      {"Microsoft.Web/sites/slots", true, true, "", false},
      {"Microsoft.Sql/servers/databases", true, true, "", false},
      {"Microsoft.Sql/servers/firewallRules", false, true, "", false},
      {"Microsoft.Authorization/roleAssignments", false, false, "", true},
      {"Microsoft.Authorization/roleDefinitions", false, false, "", true},
      {"Microsoft.Insights/diagnosticSettings", false, false, "", true},
      {"Microsoft.Network/virtualNetworks", true, false, "", false},
      {"Microsoft.Compute/virtualMachines", true, false, "", false},
  };
  for (const Case& c : kCases) {
    const ResourceTypeInfo* info = FindResourceType(c.type);
    ASSERT_NE(info, nullptr) << c.type;
    EXPECT_EQ(info->in_resource_graph, c.in_rg) << c.type;
    EXPECT_EQ(info->child, c.child) << c.type;
    EXPECT_EQ(info->inlined_in_parent_property, c.inlined) << c.type;
    EXPECT_EQ(info->extension, c.extension) << c.type;
  }
  // Every child type's parent is in the catalog too.
  for (const auto& t : ResourceTypeCatalog()) {
    if (!t.child) continue;
    std::string parent = t.type.substr(0, t.type.rfind('/'));
    EXPECT_NE(FindResourceType(parent), nullptr) << t.type;
  }
}

TEST(CatalogTest, CommonDiagnosticSettingsTypesAreExactlyTheDesignList) {
  const std::set<std::string> kCommon = {
      "Microsoft.KeyVault/vaults",
      "Microsoft.Storage/storageAccounts",
      "Microsoft.Sql/servers",
      "Microsoft.Sql/servers/databases",
      "Microsoft.Network/networkSecurityGroups",
      "Microsoft.Network/publicIPAddresses",
      "Microsoft.Network/applicationGateways",
      "Microsoft.Network/loadBalancers",
      "Microsoft.Network/azureFirewalls",
      "Microsoft.Web/sites",
      "Microsoft.ContainerService/managedClusters",
      "Microsoft.ContainerRegistry/registries",
      "Microsoft.DocumentDB/databaseAccounts",
      "Microsoft.EventHub/namespaces",
      "Microsoft.ServiceBus/namespaces",
      "Microsoft.Cache/Redis",
      "Microsoft.OperationalInsights/workspaces",
      "Microsoft.Insights/components",
      "Microsoft.Network/virtualNetworks",
      "Microsoft.RecoveryServices/vaults",
      "Microsoft.Network/frontDoors",
      "Microsoft.Cdn/profiles",  // Front Door Standard/Premium
  };
  std::set<std::string> marked;
  for (const auto& t : ResourceTypeCatalog()) {
    if (t.diagnostic_settings_common) marked.insert(t.type);
  }
  EXPECT_EQ(marked, kCommon);
}

// The versions the fixtures were recorded with are real and must be ones the catalog knows.
TEST(CatalogTest, KnowsTheApiVersionsOfTheFixtures) {
  std::ifstream in(std::string(ATG_FIXTURES_DIR) + "/MANIFEST.tsv");
  ASSERT_TRUE(in) << "fixtures MANIFEST.tsv not found";
  std::string line;
  std::regex version_in_text(R"(api-version[= ](\d{4}-\d{2}-\d{2}(-preview)?))");
  std::regex version_in_path(R"(^rest-api-specs-examples/[^/]+/(\d{4}-\d{2}-\d{2}(-preview)?)/)");
  int checked = 0;
  while (std::getline(in, line)) {
    auto cols = Split(line, '\t');
    if (cols.size() < 6) continue;
    const ResourceTypeInfo* info = FindResourceType(cols[4]);
    if (!info) continue;
    std::smatch m;
    std::string version;
    if (std::regex_search(cols[0], m, version_in_path)) {
      version = m[1];
    } else if (std::regex_search(cols[5], m, version_in_text)) {
      version = m[1];
    } else {
      continue;
    }
    ++checked;
    bool known = false;
    for (const auto& v : info->api_versions) known = known || v == version;
    EXPECT_TRUE(known) << info->type << " fixture " << cols[0] << " uses " << version;
  }
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace atg::sim
