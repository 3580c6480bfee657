@secure()
@description('virtual machine administrator password (Azure never returns it) of Microsoft.Compute/virtualMachines virtualMachineName (properties.osProfile.adminPassword)')
param virtual_machine_name_admin_password string

resource availability_set_name 'Microsoft.Compute/availabilitySets@2024-07-01' = {
  name: 'availabilitySetName'
  location: 'australiasoutheast'
  sku: {
    name: 'Classic'
  }
  properties: {
    platformUpdateDomainCount: 5
    platformFaultDomainCount: 3
  }
}

resource virtual_machine_name 'Microsoft.Compute/virtualMachines@2024-07-01' = {
  name: 'virtualMachineName'
  location: 'eastus'
  tags: {
    RG: 'rg'
    testTag: '1'
  }
  properties: {
    availabilitySet: {
      id: availability_set_name.id
    }
    hardwareProfile: {
      vmSize: 'Standard_A0'
    }
    storageProfile: {
      imageReference: {
        publisher: 'MicrosoftWindowsServer'
        offer: 'WindowsServer'
        sku: '2012-R2-Datacenter'
        version: '4.127.20170406'
      }
      osDisk: {
        osType: 'Windows'
        name: 'test'
        createOption: 'FromImage'
        vhd: {
          uri: 'https://{storageAccountName}.blob.core.windows.net/{containerName}/{vhdName}.vhd'
        }
        caching: 'None'
        diskSizeGB: 127
      }
      dataDisks: []
    }
    osProfile: {
      computerName: 'Test'
      adminUsername: 'Foo12'
      windowsConfiguration: {
        provisionVMAgent: true
        enableAutomaticUpdates: true
      }
      secrets: []
      allowExtensionOperations: true
      adminPassword: virtual_machine_name_admin_password
    }
    networkProfile: {
      networkInterfaces: [
        {
          id: '/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/resourceGroupName/providers/Microsoft.Network/networkInterfaces/networkInterfaceName'
        }
      ]
    }
  }
}
