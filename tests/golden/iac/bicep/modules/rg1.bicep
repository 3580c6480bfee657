resource network_security_group_nsg1 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {
  name: 'nsg1'
  location: 'westus'
  properties: {}
}

resource network_security_group_testnsg 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {
  name: 'testnsg'
  location: 'westus'
  properties: {}
}

resource security_rule_testnsg_rule1 'Microsoft.Network/networkSecurityGroups/securityRules@2024-05-01' = {
  parent: network_security_group_testnsg
  name: 'rule1'
  properties: {
    protocol: '*'
    sourcePortRange: '*'
    destinationPortRange: '80'
    sourceAddressPrefix: '*'
    destinationAddressPrefix: '*'
    access: 'Allow'
    priority: 130
    direction: 'Inbound'
  }
}

resource virtual_network_test_vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'test-vnet'
  location: 'westus'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    virtualNetworkPeerings: []
  }
}

resource subnet_test_vnet_subnet1 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' = {
  parent: virtual_network_test_vnet
  name: 'subnet1'
  properties: {
    addressPrefix: '10.0.1.0/24'
  }
}

resource virtual_network_vnet1 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet1'
  location: 'westus'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/8'
      ]
    }
    dhcpOptions: {
      dnsServers: []
    }
    virtualNetworkPeerings: []
  }
}

resource subnet_vnet1_test_1 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' = {
  parent: virtual_network_vnet1
  name: 'test-1'
  properties: {
    addressPrefix: '10.0.0.0/24'
  }
}

resource virtual_network_vnet2_rg1 'Microsoft.Network/virtualNetworks@2024-05-01' = {
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
