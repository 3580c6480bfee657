// One environment of the ATG service (dev, integration or prod), per the deployment document:
// network (§1.3), storage, Key Vault, managed identity, the container group (§1.1, §1.2) and the
// alert rules (§7.3). Deployed by infrastructure/scripts/deploy.sh and the deploy-service
// workflow with one of parameters/*.json:
//
//   az deployment group create --resource-group atg-infrastructure \
//     --template-file infrastructure/main.bicep \
//     --parameters @infrastructure/parameters/dev.json imageTag=dev-<sha>
//
// No secret is a parameter: the runtime secrets live in the environment's Key Vault and reach the
// containers as secure values (getSecret) or, for the API keys, are read by the service itself.
// The first deployment runs with deployContainers=false, which creates everything but the
// container group; deploy.sh then creates the missing secrets and deploys again.
targetScope = 'resourceGroup'

@allowed([
  'dev'
  'integration'
  'prod'
])
param environment string
param location string = resourceGroup().location
@description('The tenant the service scans (ATG_TARGET_TENANT_ID).')
param targetTenantId string
@description('The subscription the service scans; its identity gets Reader there when it is in this tenant. Empty: assign access by hand (Lighthouse for another tenant).')
param targetSubscriptionId string = ''
@description('Image without tag, e.g. ghcr.io/<owner>/atg.')
param imageRepository string
@description('Image tag: <environment>-<git sha> from the pipeline, or <environment>.')
param imageTag string = environment
param deployContainers bool = true
@description('Address range allowed to reach port 8000 in private mode (e.g. the Application Gateway subnet).')
param clientAddressPrefix string = 'VirtualNetwork'
@description('DNS name the TLS certificate is issued for; the service URL the pipeline tests. Empty: the container group address.')
param serviceHostName string = ''
param apiCpu int
param apiMemoryGb int
param neo4jCpu int
param neo4jMemoryGb int
param neo4jHeapSize string
param redisCpu int
param redisMemoryGb int
param serverWorkers int
param maxConcurrentJobs int
param logLevel string
param probe object
param alertEmail string = ''
@description('Public addresses (CIDR) allowed to the Key Vault and storage data planes, e.g. the deploying runner.')
param adminIpRanges array = []
param backupRetentionDays int = 30
param neo4jShareQuotaGb int = 1024
@description('Restore this backup (a blob URL in the backups container) once when the containers start; see scripts/restore.sh.')
param restoreBackupUrl string = ''

var nameSuffix = environment
var keyvaultName = take('atg-kv-${uniqueString(resourceGroup().id, nameSuffix)}', 24)
var storageAccountName = take('atgst${uniqueString(resourceGroup().id, nameSuffix)}', 24)

module network 'modules/network.bicep' = {
  name: 'network-${environment}'
  params: {
    location: location
    nameSuffix: nameSuffix
    clientAddressPrefix: clientAddressPrefix
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity-${environment}'
  params: {
    location: location
    nameSuffix: nameSuffix
  }
}

module targetReader 'modules/target-reader.bicep' = if (!empty(targetSubscriptionId)) {
  name: 'target-reader-${environment}'
  scope: subscription(empty(targetSubscriptionId) ? subscription().subscriptionId : targetSubscriptionId)
  params: {
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage-${environment}'
  params: {
    location: location
    nameSuffix: nameSuffix
    accountName: storageAccountName
    storageSubnetId: network.outputs.storageSubnetId
    containerSubnetId: network.outputs.containerSubnetId
    vnetId: network.outputs.vnetId
    identityPrincipalId: identity.outputs.principalId
    adminIpRanges: adminIpRanges
    backupRetentionDays: backupRetentionDays
    neo4jShareQuotaGb: neo4jShareQuotaGb
  }
}

module keyvault 'modules/keyvault.bicep' = {
  name: 'keyvault-${environment}'
  params: {
    location: location
    nameSuffix: nameSuffix
    vaultName: keyvaultName
    adminIpRanges: adminIpRanges
    identityPrincipalId: identity.outputs.principalId
    storageSubnetId: network.outputs.storageSubnetId
    containerSubnetId: network.outputs.containerSubnetId
    vnetId: network.outputs.vnetId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring-${environment}'
  params: {
    location: location
    nameSuffix: nameSuffix
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyvaultName
}

module containers 'modules/container-group.bicep' = if (deployContainers) {
  name: 'containers-${environment}'
  dependsOn: [
    keyvault
  ]
  params: {
    location: location
    environment: environment
    nameSuffix: nameSuffix
    subnetId: network.outputs.containerSubnetId
    storageAccountName: storage.outputs.storageAccountName
    managedIdentityId: identity.outputs.identityId
    managedIdentityClientId: identity.outputs.clientId
    keyvaultName: keyvaultName
    targetTenantId: targetTenantId
    targetSubscriptionId: targetSubscriptionId
    image: '${imageRepository}:${imageTag}'
    neo4jPassword: vault.getSecret('neo4j-password')
    metricsApiKey: vault.getSecret('metrics-api-key')
    tlsCertificate: vault.getSecret('tls-cert')
    tlsKey: vault.getSecret('tls-key')
    insightsName: monitoring.outputs.insightsName
    workspaceName: monitoring.outputs.workspaceName
    backupsContainerUrl: storage.outputs.backupsContainerUrl
    restoreBackupUrl: restoreBackupUrl
    apiCpu: apiCpu
    apiMemoryGb: apiMemoryGb
    neo4jCpu: neo4jCpu
    neo4jMemoryGb: neo4jMemoryGb
    neo4jHeapSize: neo4jHeapSize
    redisCpu: redisCpu
    redisMemoryGb: redisMemoryGb
    serverWorkers: serverWorkers
    maxConcurrentJobs: maxConcurrentJobs
    logLevel: logLevel
    probe: probe
  }
}

module alerts 'modules/alerts.bicep' = if (deployContainers) {
  name: 'alerts-${environment}'
  params: {
    location: location
    nameSuffix: nameSuffix
    containerGroupId: deployContainers ? containers.outputs.id : ''
    insightsId: monitoring.outputs.insightsId
    apiCpuCores: apiCpu
    apiMemoryGb: apiMemoryGb
    alertEmail: alertEmail
  }
}

var address = deployContainers ? containers.outputs.fqdn : ''

output containerGroupName string = 'atg-service-${nameSuffix}'
output containerGroupFqdn string = address
output serviceUrl string = empty(serviceHostName) ? 'https://${address}:8000' : 'https://${serviceHostName}:8000'
output image string = '${imageRepository}:${imageTag}'
output keyvaultName string = keyvaultName
output storageAccountName string = storage.outputs.storageAccountName
output backupsContainerUrl string = storage.outputs.backupsContainerUrl
