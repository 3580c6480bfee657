resource storage_account_sto834 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sto834'
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
    supportsHttpsTrafficOnly: false
  }
}
