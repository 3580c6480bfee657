// The network of the deployment document (§1.3): one virtual network, 10.0.0.0/16, with
//  - the container subnet (10.0.1.0/24), delegated to Container Instances: the container group
//    gets a private address there and is reached on port 8000 (HTTPS) from inside the network
//    (an Application Gateway, a VPN, a peered network), never directly from the internet;
//  - the storage subnet (10.0.2.0/24) holding the private endpoints of the storage account and
//    the Key Vault, with their private DNS zones linked to the network.
// Each subnet has a network security group that denies inbound traffic from the internet.
param location string
param nameSuffix string
@description('Address range allowed to reach the service on port 8000, e.g. an Application Gateway subnet.')
param clientAddressPrefix string = 'VirtualNetwork'

var vnetName = 'atg-vnet-${nameSuffix}'

resource containerNsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'atg-containers-nsg-${nameSuffix}'
  location: location
  properties: {
    securityRules: [
      {
        name: 'allow-https-8000'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: clientAddressPrefix
          sourcePortRange: '*'
          destinationAddressPrefix: '10.0.1.0/24'
          destinationPortRange: '8000'
        }
      }
      {
        name: 'deny-internet-inbound'
        properties: {
          priority: 4000
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource storageNsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'atg-storage-nsg-${nameSuffix}'
  location: location
  properties: {
    securityRules: [
      {
        name: 'deny-internet-inbound'
        properties: {
          priority: 4000
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: vnetName
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'atg-subnet'
        properties: {
          addressPrefix: '10.0.1.0/24'
          networkSecurityGroup: {
            id: containerNsg.id
          }
          delegations: [
            {
              name: 'aci'
              properties: {
                serviceName: 'Microsoft.ContainerInstance/containerGroups'
              }
            }
          ]
          serviceEndpoints: [
            {
              service: 'Microsoft.Storage'
            }
            {
              service: 'Microsoft.KeyVault'
            }
          ]
        }
      }
      {
        name: 'storage-subnet'
        properties: {
          addressPrefix: '10.0.2.0/24'
          networkSecurityGroup: {
            id: storageNsg.id
          }
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

output vnetId string = vnet.id
output containerSubnetId string = vnet.properties.subnets[0].id
output storageSubnetId string = vnet.properties.subnets[1].id
