resource storage_account_sto8596 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sto8596'
  location: 'eastus2(stage)'
  sku: {
    name: 'Standard_GRS'
  }
  kind: 'Storage'
  tags: {
    key1: 'value1'
    key2: 'value2'
  }
  properties: {
    isHnsEnabled: true
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
      ipRules: []
      virtualNetworkRules: []
      resourceAccessRules: [
        {
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47'
          resourceId: '/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/res9407/providers/Microsoft.Synapse/workspaces/testworkspace'
        }
      ]
    }
    routingPreference: {
      routingChoice: 'MicrosoftRouting'
      publishMicrosoftEndpoints: true
      publishInternetEndpoints: true
    }
    encryption: {
      services: {
        file: {
          keyType: 'Account'
          enabled: true
        }
        blob: {
          keyType: 'Account'
          enabled: true
        }
      }
      keySource: 'Microsoft.Storage'
    }
    supportsHttpsTrafficOnly: false
  }
}
