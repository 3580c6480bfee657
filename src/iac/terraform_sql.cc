// The azurerm mappings of SQL servers, databases and firewall rules (Microsoft.Sql): one
// choose/render pair per ARM type, arguments as the azurerm 4.x provider documents them (the table:
// iac/terraform_types.h).
#include "iac/terraform_arguments.h"

namespace atg::iac::terraform {
namespace {

constexpr std::string_view kSqlPassword = "properties.administratorLoginPassword";

std::string ChooseSqlServer(const MapContext& c, std::string* why) {
  const bool aad_only = c.GetBool("properties.administrators.azureADOnlyAuthentication", false);
  if (!aad_only && !c.Has(kSqlPassword)) {
    return ViaAzapi(why, "SQL authentication without an administrator password input");
  }
  return AzurermType("azurerm_mssql_server");
}
void RenderSqlServer(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  std::string_view version = c.GetString("properties.version");
  w.StringAttribute("version", version.empty() ? "12.0" : version);
  c.Attr(w, "administrator_login", "properties.administratorLogin");
  if (c.Has(kSqlPassword)) c.Attr(w, "administrator_login_password", kSqlPassword);
  c.Attr(w, "minimum_tls_version", "properties.minimalTlsVersion");
  PublicNetworkAccess(c, w);
  if (c.Has("properties.restrictOutboundNetworkAccess")) {
    w.BoolAttribute(
        "outbound_network_restriction_enabled",
        EqualsIgnoreCase(c.GetString("properties.restrictOutboundNetworkAccess"), "Enabled"));
  }
  const std::string ad = "properties.administrators";
  if (c.Has(ad + ".login") && c.Has(ad + ".sid")) {
    w.BeginBlock("azuread_administrator");
    c.Attr(w, "login_username", ad + ".login");
    w.Attribute("object_id", c.PrincipalExpr(ad + ".sid"));
    c.Attr(w, "azuread_authentication_only", ad + ".azureADOnlyAuthentication");
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
}

void RenderSqlDatabase(MapContext& c, HclWriter& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("server_id", ParentId(c));
  const json::value* capacity = c.Get("sku.capacity");
  if (auto sku = SqlDatabaseSkuName(c.GetString("sku.name"),
                                    capacity && capacity->is_number()
                                        ? std::optional(capacity->to_number<int64_t>())
                                        : std::nullopt)) {
    w.StringAttribute("sku_name", *sku);
  }
  c.Attr(w, "collation", "properties.collation");
  const json::value* max = c.Get("properties.maxSizeBytes");
  if (max && (max->is_int64() || max->is_uint64())) {
    const int64_t bytes =
        max->is_int64() ? max->get_int64() : static_cast<int64_t>(max->get_uint64());
    w.Attribute("max_size_gb", std::to_string(bytes / (1024LL * 1024 * 1024)));
  }
  c.Attr(w, "zone_redundant", "properties.zoneRedundant");
  if (c.Has("properties.readScale")) {
    w.BoolAttribute("read_scale", EqualsIgnoreCase(c.GetString("properties.readScale"), "Enabled"));
  }
  c.Attr(w, "storage_account_type", "properties.requestedBackupStorageRedundancy");
  c.Attr(w, "auto_pause_delay_in_minutes", "properties.autoPauseDelay");
  c.Attr(w, "min_capacity", "properties.minCapacity");
  c.Attr(w, "license_type", "properties.licenseType");
  c.Attr(w, "ledger_enabled", "properties.isLedgerOn");
  c.Tags(w);
}

void RenderSqlFirewallRule(MapContext& c, HclWriter& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("server_id", ParentId(c));
  c.Attr(w, "start_ip_address", "properties.startIpAddress");
  c.Attr(w, "end_ip_address", "properties.endIpAddress");
}

}  // namespace

void AddSqlMappings(std::vector<TypeMapping>* table) {
  table->insert(table->end(),
                {
                    {"microsoft.sql/servers",
                     "azurerm_mssql_server",
                     ChooseSqlServer,
                     RenderSqlServer,
                     {kSqlPassword, "properties.administrators.sid"}},
                    {"microsoft.sql/servers/databases", "azurerm_mssql_database",
                     ATG_ALWAYS_AZURERM_TYPE("azurerm_mssql_database"), RenderSqlDatabase},
                    {"microsoft.sql/servers/firewallrules", "azurerm_mssql_firewall_rule",
                     ATG_ALWAYS_AZURERM_TYPE("azurerm_mssql_firewall_rule"), RenderSqlFirewallRule},
                });
}

}  // namespace atg::iac::terraform
