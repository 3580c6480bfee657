#include "sim/catalog.h"

#include <functional>
#include <string>
#include <unordered_map>

#include "common/strings.h"

namespace atg::sim {
namespace {

// API versions are the provider's real ones, newest stable first, then older stable ones the
// fixtures were recorded with, then previews. Resource groups are not here: they are not
// resources (the tenant file lists them separately).
const std::vector<std::string> kNetwork = {"2024-05-01", "2023-09-01", "2021-05-01", "2019-09-01",
                                           "2018-04-01"};
const std::vector<std::string> kPrivateDns = {"2024-06-01", "2020-06-01", "2018-09-01"};
const std::vector<std::string> kCompute = {"2024-07-01", "2023-09-01", "2021-07-01", "2020-06-01"};
const std::vector<std::string> kDisks = {"2024-03-02", "2023-04-02", "2021-04-01", "2020-06-30"};
const std::vector<std::string> kStorage = {"2023-05-01", "2023-01-01", "2021-06-01", "2018-11-01"};
const std::vector<std::string> kKeyVault = {"2023-07-01", "2022-07-01", "2019-09-01", "2018-02-14"};
const std::vector<std::string> kWeb = {"2023-12-01", "2022-03-01", "2021-02-01", "2019-08-01",
                                       "2018-02-01"};
const std::vector<std::string> kSql = {"2021-11-01", "2014-04-01", "2021-05-01-preview",
                                       "2015-05-01-preview"};
const std::vector<std::string> kAks = {"2024-09-01", "2023-10-01", "2021-09-01", "2018-03-31"};
const std::vector<std::string> kAcr = {"2023-07-01", "2019-05-01", "2017-10-01"};
const std::vector<std::string> kLogAnalytics = {"2022-10-01", "2021-06-01", "2020-08-01"};
const std::vector<std::string> kAppInsights = {"2020-02-02", "2015-05-01"};
const std::vector<std::string> kMsi = {"2023-01-31", "2018-11-30"};
const std::vector<std::string> kCosmos = {"2024-05-15", "2021-10-15", "2019-12-12"};
const std::vector<std::string> kServiceBus = {"2021-11-01", "2017-04-01", "2015-08-01"};
const std::vector<std::string> kEventHub = {"2024-01-01", "2021-11-01", "2017-04-01"};
const std::vector<std::string> kRedis = {"2024-03-01", "2023-08-01", "2020-12-01", "2018-03-01"};
const std::vector<std::string> kAuthorization = {"2022-04-01", "2015-07-01", "2020-10-01-preview",
                                                 "2018-09-01-preview"};
const std::vector<std::string> kRoleDefinitions = {"2022-04-01", "2015-07-01",
                                                   "2018-01-01-preview"};
// Diagnostic settings have only ever shipped as previews (plus the classic 2016-09-01).
const std::vector<std::string> kDiagnostics = {"2021-05-01-preview", "2017-05-01-preview"};
const std::vector<std::string> kAci = {"2023-05-01", "2021-09-01", "2018-10-01"};
const std::vector<std::string> kRecovery = {"2024-04-01", "2023-04-01", "2016-06-01"};
const std::vector<std::string> kFrontDoor = {"2021-06-01", "2020-05-01", "2019-05-01"};
const std::vector<std::string> kCdn = {"2024-02-01", "2021-06-01", "2017-10-12"};

struct Row {
  const char* type;
  const std::vector<std::string>* versions;
  bool in_resource_graph;
  bool child;
  const char* inlined_in;
  bool extension;
  bool common;
};

// The `common` column is DESIGN.md §3.5's list: key vaults, storage accounts, SQL servers and
// databases, NSGs, public IPs, application gateways, load balancers, firewalls, web apps, AKS,
// ACR, Cosmos DB, Event Hubs, Service Bus, Redis, Log Analytics, Application Insights, VNets,
// Recovery Services vaults and Front Door (classic Front Door and Front Door Standard/Premium,
// which Azure models as a Microsoft.Cdn profile).
constexpr bool kRg = true;  // a row of Resource Graph's `Resources` table
constexpr bool kNoRg = false;
const Row kRows[] = {
    // type, versions, in_resource_graph, child, inlined_in, extension, common
    {"Microsoft.Network/virtualNetworks", &kNetwork, kRg, false, "", false, true},
    {"Microsoft.Network/virtualNetworks/subnets", &kNetwork, kNoRg, true, "subnets", false, false},
    {"Microsoft.Network/networkInterfaces", &kNetwork, kRg, false, "", false, false},
    {"Microsoft.Network/networkSecurityGroups", &kNetwork, kRg, false, "", false, true},
    {"Microsoft.Network/networkSecurityGroups/securityRules", &kNetwork, kNoRg, true,
     "securityRules", false, false},
    {"Microsoft.Network/publicIPAddresses", &kNetwork, kRg, false, "", false, true},
    {"Microsoft.Network/loadBalancers", &kNetwork, kRg, false, "", false, true},
    {"Microsoft.Network/applicationGateways", &kNetwork, kRg, false, "", false, true},
    {"Microsoft.Network/azureFirewalls", &kNetwork, kRg, false, "", false, true},
    {"Microsoft.Network/privateEndpoints", &kNetwork, kRg, false, "", false, false},
    {"Microsoft.Network/privateDnsZones", &kPrivateDns, kRg, false, "", false, false},
    {"Microsoft.Network/privateDnsZones/virtualNetworkLinks", &kPrivateDns, kRg, true, "", false,
     false},
    {"Microsoft.Network/networkWatchers", &kNetwork, kRg, false, "", false, false},
    {"Microsoft.Network/routeTables", &kNetwork, kRg, false, "", false, false},
    {"Microsoft.Network/frontDoors", &kFrontDoor, kRg, false, "", false, true},
    {"Microsoft.Compute/virtualMachines", &kCompute, kRg, false, "", false, false},
    {"Microsoft.Compute/virtualMachines/extensions", &kCompute, kRg, true, "", false, false},
    {"Microsoft.Compute/disks", &kDisks, kRg, false, "", false, false},
    {"Microsoft.Compute/availabilitySets", &kCompute, kRg, false, "", false, false},
    {"Microsoft.Compute/virtualMachineScaleSets", &kCompute, kRg, false, "", false, false},
    {"Microsoft.Storage/storageAccounts", &kStorage, kRg, false, "", false, true},
    {"Microsoft.KeyVault/vaults", &kKeyVault, kRg, false, "", false, true},
    {"Microsoft.Web/serverFarms", &kWeb, kRg, false, "", false, false},
    {"Microsoft.Web/sites", &kWeb, kRg, false, "", false, true},
    {"Microsoft.Web/sites/slots", &kWeb, kRg, true, "", false, false},
    {"Microsoft.Sql/servers", &kSql, kRg, false, "", false, true},
    {"Microsoft.Sql/servers/databases", &kSql, kRg, true, "", false, true},
    {"Microsoft.Sql/servers/firewallRules", &kSql, kNoRg, true, "", false, false},
    {"Microsoft.ContainerService/managedClusters", &kAks, kRg, false, "", false, true},
    {"Microsoft.ContainerRegistry/registries", &kAcr, kRg, false, "", false, true},
    {"Microsoft.OperationalInsights/workspaces", &kLogAnalytics, kRg, false, "", false, true},
    {"Microsoft.Insights/components", &kAppInsights, kRg, false, "", false, true},
    {"Microsoft.ManagedIdentity/userAssignedIdentities", &kMsi, kRg, false, "", false, false},
    {"Microsoft.DocumentDB/databaseAccounts", &kCosmos, kRg, false, "", false, true},
    {"Microsoft.ServiceBus/namespaces", &kServiceBus, kRg, false, "", false, true},
    {"Microsoft.EventHub/namespaces", &kEventHub, kRg, false, "", false, true},
    {"Microsoft.Cache/Redis", &kRedis, kRg, false, "", false, true},
    {"Microsoft.ContainerInstance/containerGroups", &kAci, kRg, false, "", false, false},
    {"Microsoft.RecoveryServices/vaults", &kRecovery, kRg, false, "", false, true},
    {"Microsoft.Cdn/profiles", &kCdn, kRg, false, "", false, true},
    // Role assignments and definitions are rows of `AuthorizationResources`, not `Resources`.
    {"Microsoft.Authorization/roleAssignments", &kAuthorization, kNoRg, false, "", true, false},
    {"Microsoft.Authorization/roleDefinitions", &kRoleDefinitions, kNoRg, false, "", true, false},
    {"Microsoft.Insights/diagnosticSettings", &kDiagnostics, kNoRg, false, "", true, false},
};

std::vector<ResourceTypeInfo> BuildCatalog() {
  std::vector<ResourceTypeInfo> out;
  out.reserve(std::size(kRows));
  for (const Row& r : kRows) {
    ResourceTypeInfo info;
    info.type = r.type;
    info.api_versions = *r.versions;
    info.in_resource_graph = r.in_resource_graph;
    info.child = r.child;
    info.inlined_in_parent_property = r.inlined_in;
    info.extension = r.extension;
    info.diagnostic_settings_common = r.common;
    out.push_back(std::move(info));
  }
  return out;
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
using TypeIndex = std::unordered_map<std::string, size_t, StringHash, std::equal_to<>>;

// Keys are lower-cased types; values index into the catalog vector (which never changes).
TypeIndex BuildIndex(const std::vector<ResourceTypeInfo>& cat) {
  TypeIndex index;
  index.reserve(cat.size() * 2);
  for (size_t i = 0; i < cat.size(); ++i) index.emplace(ToLower(cat[i].type), i);
  return index;
}

}  // namespace

const std::vector<ResourceTypeInfo>& ResourceTypeCatalog() {
  static const std::vector<ResourceTypeInfo> catalog = BuildCatalog();
  return catalog;
}

const ResourceTypeInfo* FindResourceType(std::string_view type) {
  static const TypeIndex index = BuildIndex(ResourceTypeCatalog());
  // Types are short; a stack buffer keeps the hot path (one look-up per resource) allocation-free.
  char buf[160];
  if (type.size() >= sizeof(buf)) return nullptr;
  for (size_t i = 0; i < type.size(); ++i) {
    char c = type[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  auto it = index.find(std::string_view(buf, type.size()));
  return it == index.end() ? nullptr : &ResourceTypeCatalog()[it->second];
}

}  // namespace atg::sim
