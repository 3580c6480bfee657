// Reader for the service's identity on the subscription it scans (deployed at that
// subscription's scope by main.bicep). A managed identity belongs to one tenant: a target in
// another tenant is delegated to it with Azure Lighthouse instead (docs/operations/runbook.md).
targetScope = 'subscription'

param principalId string

// Reader: read every resource, change nothing.
var readerRoleId = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, readerRoleId)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', readerRoleId)
  }
}
