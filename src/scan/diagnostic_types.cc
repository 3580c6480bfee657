#include "scan/diagnostic_types.h"

#include <algorithm>
#include <string>

#include "common/strings.h"

namespace atg::scan {
namespace {

// DESIGN.md §3.5: key vaults, storage accounts, SQL servers and databases, NSGs, public IPs,
// application gateways, load balancers, firewalls, web apps, AKS, ACR, Cosmos DB, Event Hubs,
// Service Bus, Redis, Log Analytics, Application Insights, VNets, Recovery Services vaults and
// Front Door (classic, and Standard/Premium which Azure models as a Microsoft.Cdn profile).
// Sorted, so look-ups are a binary search.
const std::vector<std::string_view> kCommon = {
    "microsoft.cache/redis",
    "microsoft.cdn/profiles",
    "microsoft.containerregistry/registries",
    "microsoft.containerservice/managedclusters",
    "microsoft.documentdb/databaseaccounts",
    "microsoft.eventhub/namespaces",
    "microsoft.insights/components",
    "microsoft.keyvault/vaults",
    "microsoft.network/applicationgateways",
    "microsoft.network/azurefirewalls",
    "microsoft.network/frontdoors",
    "microsoft.network/loadbalancers",
    "microsoft.network/networksecuritygroups",
    "microsoft.network/publicipaddresses",
    "microsoft.network/virtualnetworks",
    "microsoft.operationalinsights/workspaces",
    "microsoft.recoveryservices/vaults",
    "microsoft.servicebus/namespaces",
    "microsoft.sql/servers",
    "microsoft.sql/servers/databases",
    "microsoft.storage/storageaccounts",
    "microsoft.web/sites",
};

}  // namespace

Result<DiagnosticSettingsScope> ParseDiagnosticSettingsScope(std::string_view text) {
  std::string t = ToLower(Trim(text));
  if (t == "none") return DiagnosticSettingsScope::kNone;
  if (t == "common") return DiagnosticSettingsScope::kCommon;
  if (t == "all") return DiagnosticSettingsScope::kAll;
  return Status::InvalidArgument("--diagnostic-settings: '" + std::string(text) +
                                 "' is not one of none, common, all");
}

std::string_view DiagnosticSettingsScopeName(DiagnosticSettingsScope scope) {
  switch (scope) {
    case DiagnosticSettingsScope::kNone:
      return "none";
    case DiagnosticSettingsScope::kCommon:
      return "common";
    case DiagnosticSettingsScope::kAll:
      return "all";
  }
  return "common";
}

const std::vector<std::string_view>& CommonDiagnosticSettingsTypes() { return kCommon; }

bool WantsDiagnosticSettings(DiagnosticSettingsScope scope, std::string_view lower_type) {
  switch (scope) {
    case DiagnosticSettingsScope::kNone:
      return false;
    case DiagnosticSettingsScope::kCommon:
      return std::binary_search(kCommon.begin(), kCommon.end(), lower_type);
    case DiagnosticSettingsScope::kAll:
      if (lower_type.starts_with("microsoft.resources/")) return false;
      if (lower_type.starts_with("microsoft.authorization/")) return false;
      if (lower_type == "microsoft.insights/diagnosticsettings") return false;
      return true;
  }
  return false;
}

}  // namespace atg::scan
