resource storage_account_sto3699 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sto3699'
  location: 'eastus'
  sku: {
    name: 'Standard_GRS'
  }
  kind: 'Storage'
  identity: {
    type: 'SystemAssigned'
  }
  tags: {
    key1: 'value1'
    key2: 'value2'
  }
  properties: {
    supportsHttpsTrafficOnly: false
  }
}

resource storage_account_sto6637 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sto6637'
  location: 'eastus'
  sku: {
    name: 'Standard_GRS'
  }
  kind: 'Storage'
  identity: {
    type: 'SystemAssigned'
  }
  tags: {
    key1: 'value1'
    key2: 'value2'
  }
  properties: {
    supportsHttpsTrafficOnly: false
  }
}

resource storage_account_sto9174 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sto9174'
  location: 'eastus'
  sku: {
    name: 'Standard_GRS'
  }
  kind: 'Storage'
  identity: {
    type: 'SystemAssigned'
  }
  tags: {
    key1: 'value1'
    key2: 'value2'
  }
  properties: {
    supportsHttpsTrafficOnly: false
  }
}
