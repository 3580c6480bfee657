resource network_security_group_nsg3 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {
  name: 'nsg3'
  location: 'westus'
  properties: {}
}

resource virtual_network_vnet2_rg2 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet2'
  location: 'westus'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    dhcpOptions: {
      dnsServers: [
        '8.8.8.8'
      ]
    }
    virtualNetworkPeerings: []
  }
}
