resource storage_account_sto1125 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sto1125'
  location: 'eastus'
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
