#include "common/arm_types.h"

#include <iterator>
#include <utility>

namespace atg {
namespace {

const ChildList kChildLists[] = {
    // parent, segment, child type, inlined in, in Resource Graph
    {"microsoft.network/virtualnetworks", "subnets", "microsoft.network/virtualnetworks/subnets",
     "subnets", false},
    {"microsoft.network/networksecuritygroups", "securityRules",
     "microsoft.network/networksecuritygroups/securityrules", "securityRules", false},
    {"microsoft.compute/virtualmachines", "extensions",
     "microsoft.compute/virtualmachines/extensions", "", true},
    {"microsoft.sql/servers", "databases", "microsoft.sql/servers/databases", "", true},
    {"microsoft.sql/servers", "firewallRules", "microsoft.sql/servers/firewallrules", "", false},
    {"microsoft.web/sites", "slots", "microsoft.web/sites/slots", "", true},
    {"microsoft.network/privatednszones", "virtualNetworkLinks",
     "microsoft.network/privatednszones/virtualnetworklinks", "", true},
};

// Provider namespace (lower-cased) -> a stable API version every type of it accepts for reads.
const std::pair<std::string_view, std::string_view> kProviderVersions[] = {
    {"microsoft.network/privatednszones", "2020-06-01"},
    {"microsoft.network/frontdoors", "2021-06-01"},
    {"microsoft.network", "2024-05-01"},
    {"microsoft.compute/disks", "2023-04-02"},
    {"microsoft.compute", "2024-07-01"},
    {"microsoft.storage", "2023-05-01"},
    {"microsoft.keyvault", "2023-07-01"},
    {"microsoft.web", "2023-12-01"},
    {"microsoft.sql", "2021-11-01"},
    {"microsoft.containerservice", "2024-09-01"},
    {"microsoft.containerregistry", "2023-07-01"},
    {"microsoft.operationalinsights", "2022-10-01"},
    {"microsoft.insights/components", "2020-02-02"},
    {"microsoft.insights/diagnosticsettings", "2021-05-01-preview"},
    {"microsoft.managedidentity", "2023-01-31"},
    {"microsoft.documentdb", "2024-05-15"},
    {"microsoft.servicebus", "2021-11-01"},
    {"microsoft.eventhub", "2024-01-01"},
    {"microsoft.cache", "2024-03-01"},
    {"microsoft.containerinstance", "2023-05-01"},
    {"microsoft.recoveryservices", "2024-04-01"},
    {"microsoft.cdn", "2024-02-01"},
    {"microsoft.authorization", "2022-04-01"},
    {"microsoft.resources", "2021-04-01"},
};

}  // namespace

std::vector<const ChildList*> ChildListsOf(std::string_view parent_type) {
  std::vector<const ChildList*> out;
  for (const ChildList& c : kChildLists) {
    if (c.parent_type == parent_type) out.push_back(&c);
  }
  return out;
}

std::string DefaultApiVersion(std::string_view lower_type) {
  // The longest matching prefix wins (a type entry before its namespace's).
  std::string_view best;
  size_t best_len = 0;
  for (const auto& [prefix, version] : kProviderVersions) {
    if (lower_type.size() >= prefix.size() && lower_type.substr(0, prefix.size()) == prefix &&
        (lower_type.size() == prefix.size() || lower_type[prefix.size()] == '/') &&
        prefix.size() > best_len) {
      best = version;
      best_len = prefix.size();
    }
  }
  return best.empty() ? "2021-04-01" : std::string(best);
}

}  // namespace atg
