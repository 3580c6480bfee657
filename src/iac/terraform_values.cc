#include "iac/terraform_values.h"

#include <map>

#include "common/strings.h"

namespace atg::iac {

std::optional<std::string_view> FitEnum(std::string_view value, const AllowedValues& allowed) {
  for (std::string_view a : allowed) {
    if (EqualsIgnoreCase(a, value)) return a;
  }
  return std::nullopt;
}

const AllowedValues* KeyVaultPermissions(std::string_view arm_list) {
  static const AllowedValues kKeys = {"Backup",
                                      "Create",
                                      "Decrypt",
                                      "Delete",
                                      "Encrypt",
                                      "Get",
                                      "Import",
                                      "List",
                                      "Purge",
                                      "Recover",
                                      "Restore",
                                      "Sign",
                                      "UnwrapKey",
                                      "Update",
                                      "Verify",
                                      "WrapKey",
                                      "Release",
                                      "Rotate",
                                      "GetRotationPolicy",
                                      "SetRotationPolicy"};
  static const AllowedValues kSecrets = {"Backup", "Delete",  "Get",     "List",
                                         "Purge",  "Recover", "Restore", "Set"};
  static const AllowedValues kCertificates = {
      "Backup",  "Create",  "Delete",      "DeleteIssuers",  "Get",           "GetIssuers",
      "Import",  "List",    "ListIssuers", "ManageContacts", "ManageIssuers", "Purge",
      "Recover", "Restore", "SetIssuers",  "Update"};
  static const AllowedValues kStorage = {
      "Backup", "Delete",  "DeleteSAS",     "Get",     "GetSAS", "List",   "ListSAS",
      "Purge",  "Recover", "RegenerateKey", "Restore", "Set",    "SetSAS", "Update"};
  if (arm_list == "keys") return &kKeys;
  if (arm_list == "secrets") return &kSecrets;
  if (arm_list == "certificates") return &kCertificates;
  if (arm_list == "storage") return &kStorage;
  return nullptr;
}

const AllowedValues& ServicePlanSkus() {
  static const AllowedValues kSkus = {
      "B1",    "B2",    "B3",   "S1",     "S2",    "S3",    "Y1",    "EP1",   "EP2",
      "EP3",   "FC1",   "F1",   "I1",     "I2",    "I3",    "I1v2",  "I2v2",  "I3v2",
      "I4v2",  "I5v2",  "I6v2", "I1mv2",  "I2mv2", "I3mv2", "I4mv2", "I5mv2", "P1v2",
      "P2v2",  "P3v2",  "P0v3", "P1v3",   "P2v3",  "P3v3",  "P1mv3", "P2mv3", "P3mv3",
      "P4mv3", "P5mv3", "P0v4", "P1v4",   "P2v4",  "P3v4",  "P1mv4", "P2mv4", "P3mv4",
      "P4mv4", "P5mv4", "D1",   "SHARED", "WS1",   "WS2",   "WS3"};
  return kSkus;
}

std::optional<std::string> SqlDatabaseSkuName(std::string_view name,
                                              std::optional<int64_t> capacity) {
  if (name.empty()) return std::nullopt;
  // vCore SKUs: "<tier>_<family>" (GP_Gen5, GP_S_Gen5, BC_Gen5, HS_Gen5, ...) + vCores.
  if (name.find('_') != std::string_view::npos) {
    const size_t last = name.rfind('_');
    const std::string_view tail = name.substr(last + 1);
    const bool has_count =
        !tail.empty() && tail.find_first_not_of("0123456789") == std::string_view::npos;
    if (has_count) return std::string(name);
    if (!capacity || *capacity <= 0) return std::nullopt;
    return std::string(name) + "_" + std::to_string(*capacity);
  }
  // DTU tiers written as the tier's name: the service objective of that many DTUs.
  static const std::map<int64_t, const char*> kStandard = {
      {10, "S0"},  {20, "S1"},  {50, "S2"},   {100, "S3"},  {200, "S4"},
      {400, "S6"}, {800, "S7"}, {1600, "S9"}, {3000, "S12"}};
  static const std::map<int64_t, const char*> kPremium = {
      {125, "P1"}, {250, "P2"}, {500, "P4"}, {1000, "P6"}, {1750, "P11"}, {4000, "P15"}};
  const std::map<int64_t, const char*>* table = EqualsIgnoreCase(name, "Standard")  ? &kStandard
                                                : EqualsIgnoreCase(name, "Premium") ? &kPremium
                                                                                    : nullptr;
  if (table) {
    if (!capacity) return std::nullopt;
    auto it = table->find(*capacity);
    if (it == table->end()) return std::nullopt;
    return std::string(it->second);
  }
  return std::string(name);  // "S0", "P1", "Basic", "ElasticPool", "DW100c", ...
}

std::optional<std::string> RedisMajorVersion(std::string_view arm_version) {
  const std::string_view major = arm_version.substr(0, arm_version.find('.'));
  if (major == "4" || major == "6") return std::string(major);
  return std::nullopt;
}

}  // namespace atg::iac
