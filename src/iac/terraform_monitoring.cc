// The azurerm mappings of Log Analytics workspaces, Application Insights, diagnostic settings
// (Microsoft.OperationalInsights, Microsoft.Insights) and user-assigned identities
// (Microsoft.ManagedIdentity): one choose/render pair per ARM type, arguments as the azurerm 4.x
// provider documents them (the table: iac/terraform_types.h).
#include "iac/terraform_arguments.h"

namespace atg::iac::terraform {
namespace {

void RenderLogAnalytics(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "sku", "properties.sku.name");
  c.Attr(w, "retention_in_days", "properties.retentionInDays");
  const json::value* quota = c.Get("properties.workspaceCapping.dailyQuotaGb");
  if (quota && quota->is_number() && quota->to_number<double>() > 0) {
    c.Attr(w, "daily_quota_gb", "properties.workspaceCapping.dailyQuotaGb");
  }
  c.Attr(w, "internet_ingestion_access_type", "properties.publicNetworkAccessForIngestion");
  c.Attr(w, "internet_query_access_type", "properties.publicNetworkAccessForQuery");
  c.Tags(w);
}

void RenderAppInsights(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  std::string_view type = c.GetString("properties.Application_Type");
  w.StringAttribute("application_type", type.empty() ? "web" : type);
  c.Attr(w, "workspace_id", "properties.WorkspaceResourceId");
  c.Attr(w, "retention_in_days", "properties.RetentionInDays");
  if (c.Has("properties.publicNetworkAccessForIngestion")) {
    w.BoolAttribute(
        "internet_ingestion_enabled",
        EqualsIgnoreCase(c.GetString("properties.publicNetworkAccessForIngestion"), "Enabled"));
  }
  if (c.Has("properties.publicNetworkAccessForQuery")) {
    w.BoolAttribute(
        "internet_query_enabled",
        EqualsIgnoreCase(c.GetString("properties.publicNetworkAccessForQuery"), "Enabled"));
  }
  if (c.Has("properties.DisableLocalAuth")) {
    w.BoolAttribute("local_authentication_enabled",
                    !c.GetBool("properties.DisableLocalAuth", false));
  }
  c.Tags(w);
}

void RenderUserIdentity(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Tags(w);
}

std::string ChooseDiagnostic(const MapContext& c, std::string* why) {
  if (!c.Has("properties.workspaceId") && !c.Has("properties.storageAccountId") &&
      !c.Has("properties.eventHubAuthorizationRuleId")) {
    return ViaAzapi(why, "no destination");
  }
  return AzurermType("azurerm_monitor_diagnostic_setting");
}
void RenderDiagnostic(MapContext& c, HclWriter& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("target_resource_id", ScopeId(c));
  c.Attr(w, "log_analytics_workspace_id", "properties.workspaceId");
  c.Attr(w, "log_analytics_destination_type", "properties.logAnalyticsDestinationType");
  c.Attr(w, "storage_account_id", "properties.storageAccountId");
  c.Attr(w, "eventhub_authorization_rule_id", "properties.eventHubAuthorizationRuleId");
  c.Attr(w, "eventhub_name", "properties.eventHubName");
  const size_t nl = ArraySize(c, "properties.logs");
  for (size_t i = 0; i < nl; ++i) {
    const std::string l = ElementPath("properties.logs", i, "");
    if (!c.GetBool(l + ".enabled", true)) continue;
    w.BeginBlock("enabled_log");
    if (c.Has(l + ".categoryGroup")) {
      c.Attr(w, "category_group", l + ".categoryGroup");
    } else {
      c.Attr(w, "category", l + ".category");
    }
    w.EndBlock();
  }
  const size_t nm = ArraySize(c, "properties.metrics");
  for (size_t i = 0; i < nm; ++i) {
    const std::string m = ElementPath("properties.metrics", i, "");
    if (!c.GetBool(m + ".enabled", true)) continue;
    w.BeginBlock("enabled_metric");
    c.Attr(w, "category", m + ".category");
    w.EndBlock();
  }
}

std::string DiagnosticImportId(const MapContext& c) {
  return c.resource().parent_id + "|" + c.resource().name;
}

}  // namespace

void AddMonitoringMappings(std::vector<TypeMapping>* table) {
  table->insert(
      table->end(),
      {
          {"microsoft.insights/components", "azurerm_application_insights",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_application_insights"), RenderAppInsights},
          {"microsoft.insights/diagnosticsettings",
           "azurerm_monitor_diagnostic_setting",
           ChooseDiagnostic,
           RenderDiagnostic,
           {},
           "id",
           DiagnosticImportId},
          {"microsoft.managedidentity/userassignedidentities", "azurerm_user_assigned_identity",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_user_assigned_identity"), RenderUserIdentity},
          {"microsoft.operationalinsights/workspaces", "azurerm_log_analytics_workspace",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_log_analytics_workspace"), RenderLogAnalytics},
      });
}

}  // namespace atg::iac::terraform
