// The azurerm mappings of service plans, web apps and their slots (Microsoft.Web): one
// choose/render pair per ARM type, arguments as the azurerm 4.x provider documents them (the table:
// iac/terraform_types.h).
#include "iac/terraform_arguments.h"

namespace atg::iac::terraform {
namespace {

bool IsLinuxPlan(const MapContext& c) {
  return c.GetBool("properties.reserved", false) ||
         c.GetString("kind").find("linux") != std::string_view::npos;
}

std::string ChooseServicePlan(const MapContext& c, std::string* why) {
  if (!FitEnum(c.GetString("sku.name"), ServicePlanSkus())) {
    return ViaAzapi(why, "sku \"" + std::string(c.GetString("sku.name")) +
                             "\" is not one azurerm_service_plan offers");
  }
  return AzurermType("azurerm_service_plan");
}
void RenderServicePlan(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  w.StringAttribute("os_type", IsLinuxPlan(c) ? "Linux" : "Windows");
  w.StringAttribute("sku_name", *FitEnum(c.GetString("sku.name"), ServicePlanSkus()));
  PositiveAttr(c, w, "worker_count", "sku.capacity");
  c.Attr(w, "zone_balancing_enabled", "properties.zoneRedundant");
  c.Tags(w);
}

bool IsLinuxSite(const MapContext& c) {
  return c.GetBool("properties.reserved", false) ||
         c.GetString("kind").find("linux") != std::string_view::npos ||
         !c.GetString("properties.siteConfig.linuxFxVersion").empty();
}

std::string ChooseSite(const MapContext& c, std::string* why) {
  std::string_view kind = c.GetString("kind");
  if (kind.find("functionapp") != std::string_view::npos) {
    return ViaAzapi(why, "function apps need their storage account's key");
  }
  if (!c.Has("properties.serverFarmId")) return ViaAzapi(why, "no App Service plan");
  return AzurermType(IsLinuxSite(c) ? "azurerm_linux_web_app" : "azurerm_windows_web_app");
}
std::string ChooseSlot(const MapContext& c, std::string* why) {
  std::string t = ChooseSite(c, why);
  return t.empty() ? t : t + "_slot";
}

void RenderSiteBody(MapContext& c, HclWriter& w) {
  c.Attr(w, "https_only", "properties.httpsOnly");
  c.Attr(w, "client_certificate_enabled", "properties.clientCertEnabled");
  c.Attr(w, "enabled", "properties.enabled");
  c.Attr(w, "virtual_network_subnet_id", "properties.virtualNetworkSubnetId");
  PublicNetworkAccess(c, w);
  const std::string sc = "properties.siteConfig";
  w.BeginBlock("site_config");
  c.Attr(w, "always_on", sc + ".alwaysOn");
  c.Attr(w, "http2_enabled", sc + ".http20Enabled");
  c.Attr(w, "minimum_tls_version", sc + ".minTlsVersion");
  c.Attr(w, "ftps_state", sc + ".ftpsState");
  PositiveAttr(c, w, "worker_count", sc + ".numberOfWorkers");
  w.EndBlock();
  const size_t na = ArraySize(c, sc + ".appSettings");
  if (na > 0) {
    std::string map = "{\n";
    for (size_t i = 0; i < na; ++i) {
      const std::string e = ElementPath(sc + ".appSettings", i, "");
      if (!c.Has(e + ".value")) continue;
      map.append(static_cast<size_t>(w.depth() + 1) * 2, ' ');
      AppendHclString(&map, c.GetString(e + ".name"));
      map.append(" = ");
      map.append(c.Expr(e + ".value"));
      map.push_back('\n');
    }
    map.append(static_cast<size_t>(w.depth()) * 2, ' ');
    map.push_back('}');
    w.Attribute("app_settings", map);
  }
  const size_t ncs = ArraySize(c, sc + ".connectionStrings");
  for (size_t i = 0; i < ncs; ++i) {
    const std::string e = ElementPath(sc + ".connectionStrings", i, "");
    w.BeginBlock("connection_string");
    c.Attr(w, "name", e + ".name");
    std::string_view type = c.GetString(e + ".type");
    w.StringAttribute("type", type.empty() ? "Custom" : type);
    if (c.Has(e + ".connectionString")) {
      c.Attr(w, "value", e + ".connectionString");
    } else {
      w.StringAttribute("value", "");
    }
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
}
void RenderSite(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "service_plan_id", "properties.serverFarmId");
  RenderSiteBody(c, w);
}
void RenderSlot(MapContext& c, HclWriter& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("app_service_id", ParentId(c));
  if (c.Has("properties.serverFarmId")) c.Attr(w, "service_plan_id", "properties.serverFarmId");
  RenderSiteBody(c, w);
}

}  // namespace

void AddWebMappings(std::vector<TypeMapping>* table) {
  table->insert(table->end(), {
                                  {"microsoft.web/serverfarms", "azurerm_service_plan",
                                   ChooseServicePlan, RenderServicePlan},
                                  {"microsoft.web/sites",
                                   "azurerm_linux_web_app / azurerm_windows_web_app",
                                   ChooseSite,
                                   RenderSite,
                                   {"properties.siteConfig.connectionStrings[*].connectionString"}},
                                  {"microsoft.web/sites/slots",
                                   "azurerm_linux_web_app_slot / azurerm_windows_web_app_slot",
                                   ChooseSlot,
                                   RenderSlot,
                                   {"properties.siteConfig.connectionStrings[*].connectionString"}},
                              });
}

}  // namespace atg::iac::terraform
