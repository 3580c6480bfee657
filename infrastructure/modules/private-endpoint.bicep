// A private endpoint for one sub-resource (blob, file, vault) of a storage account or vault in
// the storage subnet, with its private DNS zone linked to the virtual network, so that the
// containers resolve the service's usual name to the private address.
param location string
param name string
param subnetId string
param vnetId string
param targetId string
@allowed([
  'blob'
  'file'
  'vault'
])
param groupId string

var zoneName = groupId == 'vault' ? 'privatelink.vaultcore.azure.net' : 'privatelink.${groupId}.${environment().suffixes.storage}'

resource zone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: zoneName
  location: 'global'
}

resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: zone
  name: '${name}-link'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnetId
    }
  }
}

resource endpoint 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: name
  location: location
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: targetId
          groupIds: [
            groupId
          ]
        }
      }
    ]
  }
}

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-09-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: groupId
        properties: {
          privateDnsZoneId: zone.id
        }
      }
    ]
  }
}
