// Values fitted to what the azurerm provider's validators accept, kept as data: the closed
// sets of strings its arguments allow (in the provider's spelling), and the conversions from
// ARM's representation where the provider models a value differently (SQL database SKUs,
// Redis versions). The sets are the provider's own (azurerm 5.x validators, as its validation
// errors list them); a value ARM writes in another case is respelled, a value outside the set
// is left out rather than written invalid.
//
// Thread-safety: immutable data and pure functions.
#ifndef ATG_IAC_TERRAFORM_VALUES_H_
#define ATG_IAC_TERRAFORM_VALUES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atg::iac {

using AllowedValues = std::vector<std::string_view>;

// The member of `allowed` equal to `value` ignoring case, or nullopt.
std::optional<std::string_view> FitEnum(std::string_view value, const AllowedValues& allowed);

// azurerm_key_vault access_policy permissions, per ARM permission list ("keys", "secrets",
// "certificates", "storage"); nullptr for another list.
const AllowedValues* KeyVaultPermissions(std::string_view arm_list);

// azurerm_service_plan `sku_name`.
const AllowedValues& ServicePlanSkus();

// azurerm_mssql_database `sku_name` from ARM's sku name and capacity: vCore SKUs
// carry their vCores ("GP_S_Gen5" + 2 -> "GP_S_Gen5_2"), DTU tiers their service objective
// ("Standard" + 10 DTUs -> "S0"). nullopt when ARM's sku cannot be named in azurerm's form.
std::optional<std::string> SqlDatabaseSkuName(std::string_view name,
                                              std::optional<int64_t> capacity);

// azurerm_redis_cache `redis_version` (a major version, "4" or "6") from ARM's "6.0" or
// "6.0.14"; nullopt for a version azurerm does not offer.
std::optional<std::string> RedisMajorVersion(std::string_view arm_version);

}  // namespace atg::iac

#endif  // ATG_IAC_TERRAFORM_VALUES_H_
