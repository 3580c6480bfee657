// The Key Vault of one environment. It holds the runtime secrets, which never pass through a
// template, a parameter file or the pipeline's logs (infrastructure/scripts/deploy.sh creates
// the missing ones with random values on the first deployment; docs/operations/runbook.md):
//   api-keys        API keys, comma- or newline-separated: the service reads this secret itself
//                   (AZURE_KEY_VAULT_NAME) at start and on SIGHUP, so keys rotate without a
//                   redeployment
//   neo4j-password  handed to the Neo4j and atg containers as secure environment values
//   tls-cert, tls-key  the service's certificate chain and key (PEM), mounted as a secret volume
// Access is by Azure RBAC: the service's identity may read secrets (Key Vault Secrets User),
// nothing more. Soft delete and purge protection keep a deleted secret recoverable.
param location string
param nameSuffix string
param tenantId string = subscription().tenantId
param identityPrincipalId string
param storageSubnetId string
param containerSubnetId string
param vnetId string
@description('Public addresses (CIDR) allowed to the vault\'s data plane besides the container subnet: where deploy.sh runs (the pipeline\'s runner, an operator).')
param adminIpRanges array = []
@description('3-24 characters, globally unique (main.bicep derives it, because getSecret needs it at the start of the deployment).')
param vaultName string
// Key Vault Secrets User: get and list secret values.
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    // main.bicep hands neo4j-password and the TLS files to the containers as secure values.
    enabledForTemplateDeployment: true
    // Reachable from the container subnet, the private endpoint and adminIpRanges only.
    publicNetworkAccess: empty(adminIpRanges) ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      ipRules: [for range in adminIpRanges: {
        value: range
      }]
      virtualNetworkRules: [
        {
          id: containerSubnetId
        }
      ]
    }
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityPrincipalId, secretsUserRoleId)
  scope: vault
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
  }
}

module endpoint 'private-endpoint.bicep' = {
  name: 'pe-vault-${nameSuffix}'
  params: {
    location: location
    name: 'atg-vault-pe-${nameSuffix}'
    subnetId: storageSubnetId
    vnetId: vnetId
    targetId: vault.id
    groupId: 'vault'
  }
}

output keyvaultName string = vault.name
output keyvaultId string = vault.id
