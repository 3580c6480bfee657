// The storage account of one environment (GRS, encrypted at rest, TLS 1.2, no anonymous
// access, reachable only from the virtual network): blob containers `artifacts` (job outputs,
// ATG_ARTIFACT_BLOB_*) and `backups` (the daily `atg backup` archives, removed after
// backupRetentionDays by a lifecycle rule), and file shares for the data of Neo4j, Redis and
// atg itself (so a recreated container group finds its graph, its queue and its audit trail).
param location string
param nameSuffix string
param storageSubnetId string
param containerSubnetId string
param vnetId string
param identityPrincipalId string
@description('Public addresses (CIDR) allowed to the blob endpoint besides the container subnet (restore.sh lists the backups from there).')
param adminIpRanges array = []
param backupRetentionDays int = 30
param neo4jShareQuotaGb int = 1024
@description('3-24 lower-case letters and digits, globally unique (main.bicep derives it).')
@minLength(3)
@maxLength(24)
param accountName string

// Storage Blob Data Contributor: read and write blobs, nothing on the account itself.
var blobContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource account 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: accountName
  location: location
  sku: {
    name: 'Standard_GRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: true
    publicNetworkAccess: empty(adminIpRanges) ? 'Disabled' : 'Enabled'
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
        }
        file: {
          enabled: true
        }
      }
    }
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      ipRules: [for range in adminIpRanges: {
        action: 'Allow'
        value: range
      }]
      virtualNetworkRules: [
        {
          id: containerSubnetId
          action: 'Allow'
        }
      ]
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource artifacts 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = {
  parent: blobService
  name: 'artifacts'
  properties: {
    publicAccess: 'None'
  }
}

resource backups 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = {
  parent: blobService
  name: 'backups'
  properties: {
    publicAccess: 'None'
  }
}

resource fileService 'Microsoft.Storage/storageAccounts/fileServices@2023-01-01' = {
  parent: account
  name: 'default'
  properties: {
    shareDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource shares 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-01-01' = [for share in [
  {
    name: 'neo4j-data'
    quota: neo4jShareQuotaGb
  }
  {
    name: 'redis-data'
    quota: 64
  }
  {
    name: 'atg-data'
    quota: 256
  }
]: {
  parent: fileService
  name: share.name
  properties: {
    shareQuota: share.quota
  }
}]

// Backups older than backupRetentionDays go, whatever `atg backup prune` did (risk R6: the
// retention holds even when the job cannot run).
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'backups-retention'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'backups/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: backupRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

resource blobWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityPrincipalId, blobContributorRoleId)
  scope: account
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobContributorRoleId)
  }
}

module blobEndpoint 'private-endpoint.bicep' = {
  name: 'pe-blob-${nameSuffix}'
  params: {
    location: location
    name: 'atg-blob-pe-${nameSuffix}'
    subnetId: storageSubnetId
    vnetId: vnetId
    targetId: account.id
    groupId: 'blob'
  }
}

module fileEndpoint 'private-endpoint.bicep' = {
  name: 'pe-file-${nameSuffix}'
  params: {
    location: location
    name: 'atg-file-pe-${nameSuffix}'
    subnetId: storageSubnetId
    vnetId: vnetId
    targetId: account.id
    groupId: 'file'
  }
}

output storageAccountName string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output backupsContainerUrl string = '${account.properties.primaryEndpoints.blob}backups'
