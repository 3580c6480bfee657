@secure()
@description('virtual machine administrator password (Azure never returns it) of Microsoft.Compute/virtualMachines myVM (properties.osProfile.adminPassword)')
param virtual_machine_my_vm_admin_password string

resource virtual_machine_my_vm 'Microsoft.Compute/virtualMachines@2024-07-01' = {
  name: 'myVM'
  location: 'West US'
  tags: {
    myTag1: 'tagValue1'
  }
  properties: {
    availabilitySet: {
      id: '/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myResourceGroup/providers/Microsoft.Compute/availabilitySets/my-AvailabilitySet'
    }
    proximityPlacementGroup: {
      id: '/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myResourceGroup/providers/Microsoft.Compute/proximityPlacementGroups/my-ppg01'
    }
    hardwareProfile: {
      vmSize: 'Standard_DS3_v2'
    }
    storageProfile: {
      imageReference: {
        publisher: 'MicrosoftWindowsServer'
        offer: 'WindowsServer'
        sku: '2016-Datacenter'
        version: 'latest'
      }
      osDisk: {
        osType: 'Windows'
        name: 'myOsDisk'
        createOption: 'FromImage'
        caching: 'ReadWrite'
        managedDisk: {
          storageAccountType: 'Premium_LRS'
        }
        diskSizeGB: 30
      }
      dataDisks: [
        {
          lun: 0
          name: 'myDataDisk0'
          createOption: 'Attach'
          caching: 'ReadWrite'
          managedDisk: {
            storageAccountType: 'Premium_LRS'
            id: '/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myResourceGroup/providers/Microsoft.Compute/disks/myDataDisk0'
          }
          diskSizeGB: 30
        }
        {
          lun: 1
          name: 'myDataDisk1'
          createOption: 'Attach'
          caching: 'ReadWrite'
          managedDisk: {
            storageAccountType: 'Premium_LRS'
            id: '/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myResourceGroup/providers/Microsoft.Compute/disks/myDataDisk1'
          }
          diskSizeGB: 100
        }
      ]
    }
    applicationProfile: {
      galleryApplications: [
        {
          tags: 'myTag1'
          order: 1
          packageReferenceId: '/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myresourceGroupName2/providers/Microsoft.Compute/galleries/myGallery1/applications/MyApplication1/versions/1.0'
          configurationReference: 'https://mystorageaccount.blob.core.windows.net/configurations/settings.config'
        }
        {
          packageReferenceId: '/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myresourceGroupName3/providers/Microsoft.Compute/galleries/myGallery2/applications/MyApplication2/versions/1.1'
        }
      ]
    }
    userData: 'RXhhbXBsZSBVc2VyRGF0YQ=='
    osProfile: {
      computerName: 'myVM'
      adminUsername: 'azureuser'
      windowsConfiguration: {
        provisionVMAgent: true
        enableAutomaticUpdates: false
      }
      secrets: []
      adminPassword: virtual_machine_my_vm_admin_password
    }
    networkProfile: {
      networkInterfaces: [
        {
          id: '/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myResourceGroup/providers/Microsoft.Network/networkInterfaces/myNIC'
        }
      ]
    }
    diagnosticsProfile: {
      bootDiagnostics: {
        enabled: true
        storageUri: 'http://{myStorageAccount}.blob.core.windows.net'
      }
    }
    extensionsTimeBudget: 'PT50M'
  }
}
