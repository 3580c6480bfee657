resource storage_account_sto4036 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sto4036'
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
    supportsHttpsTrafficOnly: false
  }
}

resource storage_account_sto4452 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sto4452'
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
