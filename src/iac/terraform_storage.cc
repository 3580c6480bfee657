// The azurerm mappings of storage accounts (Microsoft.Storage) and key vaults (Microsoft.KeyVault):
// one choose/render pair per ARM type, arguments as the azurerm 4.x provider documents them (the
// table: iac/terraform_types.h).
#include "iac/terraform_arguments.h"

namespace atg::iac::terraform {
namespace {

std::string ChooseStorage(const MapContext& c, std::string* why) {
  std::string_view sku = c.GetString("sku.name");
  if (sku.find('_') == std::string_view::npos) return ViaAzapi(why, "unrecognised sku");
  return AzurermType("azurerm_storage_account");
}
void RenderStorage(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  std::string_view sku = c.GetString("sku.name");
  const size_t us = sku.find('_');
  w.StringAttribute("account_tier", sku.substr(0, us));
  w.StringAttribute("account_replication_type", sku.substr(us + 1));
  c.Attr(w, "account_kind", "kind");
  c.Attr(w, "access_tier", "properties.accessTier");
  c.Attr(w, "min_tls_version", "properties.minimumTlsVersion");
  c.Attr(w, "https_traffic_only_enabled", "properties.supportsHttpsTrafficOnly");
  c.Attr(w, "allow_nested_items_to_be_public", "properties.allowBlobPublicAccess");
  c.Attr(w, "shared_access_key_enabled", "properties.allowSharedKeyAccess");
  c.Attr(w, "is_hns_enabled", "properties.isHnsEnabled");
  c.Attr(w, "cross_tenant_replication_enabled", "properties.allowCrossTenantReplication");
  c.Attr(w, "default_to_oauth_authentication", "properties.defaultToOAuthAuthentication");
  PublicNetworkAccess(c, w);
  const std::string acl = "properties.networkAcls";
  if (c.Has(acl + ".defaultAction")) {
    w.BeginBlock("network_rules");
    c.Attr(w, "default_action", acl + ".defaultAction");
    std::string_view bypass = c.GetString(acl + ".bypass");
    if (!bypass.empty()) {
      std::string list = "[";
      bool first = true;
      for (const std::string& b : Split(bypass, ',')) {
        std::string t(b);
        t.erase(0, t.find_first_not_of(' '));
        t.erase(t.find_last_not_of(' ') + 1);
        if (t.empty()) continue;
        if (!first) list.append(", ");
        first = false;
        AppendHclString(&list, t);
      }
      list.push_back(']');
      w.Attribute("bypass", list);
    }
    if (NonEmptyArray(c, acl + ".ipRules")) {
      w.Attribute("ip_rules", ExprList(c, acl + ".ipRules", "value"));
    }
    if (NonEmptyArray(c, acl + ".virtualNetworkRules")) {
      w.Attribute("virtual_network_subnet_ids", ExprList(c, acl + ".virtualNetworkRules", "id"));
    }
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
}

std::string ChooseKeyVault(const MapContext& c, std::string* why) {
  if (!c.Has("properties.tenantId")) return ViaAzapi(why, "no tenant id");
  return AzurermType("azurerm_key_vault");
}
void RenderKeyVault(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "tenant_id", "properties.tenantId");
  std::string_view sku = c.GetString("properties.sku.name");
  w.StringAttribute("sku_name", sku.empty() ? "standard" : ToLower(sku));
  c.Attr(w, "enabled_for_deployment", "properties.enabledForDeployment");
  c.Attr(w, "enabled_for_disk_encryption", "properties.enabledForDiskEncryption");
  c.Attr(w, "enabled_for_template_deployment", "properties.enabledForTemplateDeployment");
  w.BoolAttribute("rbac_authorization_enabled",  // required by azurerm 5; ARM's default false
                  c.GetBool("properties.enableRbacAuthorization", false));
  c.Attr(w, "soft_delete_retention_days", "properties.softDeleteRetentionInDays");
  c.Attr(w, "purge_protection_enabled", "properties.enablePurgeProtection");
  PublicNetworkAccess(c, w);
  const size_t n = ArraySize(c, "properties.accessPolicies");
  for (size_t i = 0; i < n; ++i) {
    const std::string ap = ElementPath("properties.accessPolicies", i, "");
    w.BeginBlock("access_policy");
    c.Attr(w, "tenant_id", ap + ".tenantId");
    w.Attribute("object_id", c.PrincipalExpr(ap + ".objectId"));
    for (auto [tf, arm] : {std::pair{"key_permissions", "keys"},
                           {"secret_permissions", "secrets"},
                           {"certificate_permissions", "certificates"},
                           {"storage_permissions", "storage"}}) {
      // ARM accepts any case ("get", "all"); azurerm only its own spelling, no "all".
      const json::value* list = c.Get(ap + ".permissions." + arm);
      if (!list || !list->is_array() || list->get_array().empty()) continue;
      const AllowedValues& allowed = *KeyVaultPermissions(arm);
      std::vector<std::string_view> fitted;
      for (const json::value& p : list->get_array()) {
        if (!p.is_string()) continue;
        if (EqualsIgnoreCase(p.get_string(), "all")) {
          fitted.assign(allowed.begin(), allowed.end());
          break;
        }
        if (auto f = FitEnum(p.get_string(), allowed)) fitted.push_back(*f);
      }
      std::string out = "[";
      for (std::string_view f : fitted) {
        if (out.size() > 1) out.append(", ");
        AppendHclString(&out, f);
      }
      if (out.size() > 1) w.Attribute(tf, out + "]");
    }
    w.EndBlock();
  }
  c.Tags(w);
}

}  // namespace

void AddStorageMappings(std::vector<TypeMapping>* table) {
  table->insert(table->end(), {
                                  {"microsoft.keyvault/vaults",
                                   "azurerm_key_vault",
                                   ChooseKeyVault,
                                   RenderKeyVault,
                                   {"properties.accessPolicies[*].objectId"}},
                                  {"microsoft.storage/storageaccounts", "azurerm_storage_account",
                                   ChooseStorage, RenderStorage},
                              });
}

}  // namespace atg::iac::terraform
