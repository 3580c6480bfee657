// Where the service's logs and metrics go: a Log Analytics workspace (the container group's
// logs, 90 days, §8.3) and a workspace-based Application Insights that receives the service's
// own Prometheus metrics (/metrics), forwarded by the OpenTelemetry collector that runs beside
// it in the container group (container-group.bicep). The alert rules are in alerts.bicep.
param location string
param nameSuffix string
param retentionDays int = 90

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: 'atg-logs-${nameSuffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'atg-insights-${nameSuffix}'
  location: location
  kind: 'other'
  properties: {
    Application_Type: 'other'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: false
  }
}

output workspaceName string = workspace.name
output workspaceId string = workspace.id
output insightsId string = insights.id
output insightsName string = insights.name
