#include "iac/secret_rules.h"

#include <algorithm>

#include "common/strings.h"
#include "iac/body_paths.h"

namespace atg::iac {
namespace {

// Whether `path` (dotted, no arrays) exists in `body`; `*value` receives it.
const json::value* Lookup(const json::object& body, std::string_view path) {
  const json::object* obj = &body;
  const json::value* v = nullptr;
  for (const std::string& seg : Split(path, '.', true)) {
    if (obj == nullptr) return nullptr;
    v = FindIgnoreCase(obj, seg);
    if (v == nullptr) return nullptr;
    obj = v->if_object();
  }
  return v;
}

}  // namespace

const std::vector<SecretName>& SecretNames() {
  static const std::vector<SecretName> kNames = {
      {"adminPassword", "administrator password"},
      {"administratorLoginPassword", "administrator login password"},
      {"password", "password"},
      {"clientSecret", "client secret"},
      {"secret", "secret"},
      {"primaryKey", "primary access key"},
      {"secondaryKey", "secondary access key"},
      {"primaryMasterKey", "primary master key"},
      {"secondaryMasterKey", "secondary master key"},
      {"primaryReadonlyMasterKey", "primary read-only key"},
      {"secondaryReadonlyMasterKey", "secondary read-only key"},
      {"accessKeys", "access keys"},
      {"accountKey", "storage account key"},
      {"storageAccountKey", "storage account key"},
      {"storageAccessKey", "storage access key"},
      {"sharedKey", "shared key"},
      {"sharedAccessKey", "shared access key"},
      {"primaryConnectionString", "primary connection string"},
      {"secondaryConnectionString", "secondary connection string"},
      {"connectionString", "connection string"},
      {"sasToken", "SAS token"},
      {"sasUrl", "SAS URL"},
      {"sasUri", "SAS URI"},
      {"protectedSettings", "extension protected settings"},
      {"customData", "custom data (may hold secrets)"},
      {"certificatePassword", "certificate password"},
      {"keyVaultSecretId", "Key Vault secret reference"},
  };
  return kNames;
}

const std::vector<RequiredSecret>& RequiredSecrets() {
  static const std::vector<RequiredSecret> kRequired = {
      {"microsoft.compute/virtualmachines", "properties.osProfile.adminPassword",
       "properties.osProfile",
       "properties.osProfile.linuxConfiguration.disablePasswordAuthentication",
       "virtual machine administrator password (Azure never returns it)"},
      {"microsoft.compute/virtualmachinescalesets",
       "properties.virtualMachineProfile.osProfile.adminPassword",
       "properties.virtualMachineProfile.osProfile",
       "properties.virtualMachineProfile.osProfile.linuxConfiguration."
       "disablePasswordAuthentication",
       "scale set administrator password (Azure never returns it)"},
      {"microsoft.sql/servers", "properties.administratorLoginPassword",
       "properties.administratorLogin", "properties.administrators.azureADOnlyAuthentication",
       "SQL server administrator login password (Azure never returns it)"},
      {"microsoft.dbforpostgresql/flexibleservers", "properties.administratorLoginPassword",
       "properties.administratorLogin", "",
       "PostgreSQL administrator login password (Azure never returns it)"},
      {"microsoft.dbformysql/flexibleservers", "properties.administratorLoginPassword",
       "properties.administratorLogin", "",
       "MySQL administrator login password (Azure never returns it)"},
      {"microsoft.containerservice/managedclusters", "properties.windowsProfile.adminPassword",
       "properties.windowsProfile", "",
       "AKS Windows node administrator password (Azure never returns it)"},
  };
  return kRequired;
}

std::vector<SecretSlot> ExtractSecrets(std::string_view lower_type, json::object* body) {
  std::vector<SecretSlot> slots;
  std::vector<PathMatch> found;
  for (const SecretName& s : SecretNames()) {
    ForEachNamedProperty(*body, s.name, [&](const PathMatch& m) {
      const json::value* v = m.holder->if_contains(m.key);
      // An explicit null or empty string holds nothing to protect.
      if (v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty())) return;
      found.push_back(m);
      slots.push_back({m.path, m.key, std::string(s.description)});
    });
  }
  RemoveMatches(std::move(found));
  for (const RequiredSecret& r : RequiredSecrets()) {
    if (r.type != lower_type) continue;
    if (Lookup(*body, r.when_present) == nullptr) continue;
    if (!r.unless_true.empty()) {
      const json::value* u = Lookup(*body, r.unless_true);
      if (u != nullptr && u->is_bool() && u->as_bool()) continue;
    }
    std::string path(r.path);
    std::string field = path.substr(path.rfind('.') + 1);
    slots.push_back({path, field, std::string(r.description)});
  }
  std::sort(slots.begin(), slots.end(),
            [](const SecretSlot& a, const SecretSlot& b) { return a.path < b.path; });
  slots.erase(
      std::unique(slots.begin(), slots.end(),
                  [](const SecretSlot& a, const SecretSlot& b) { return a.path == b.path; }),
      slots.end());
  return slots;
}

}  // namespace atg::iac
