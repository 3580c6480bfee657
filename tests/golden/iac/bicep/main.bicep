targetScope = 'subscription'

@secure()
@description('virtual machine administrator password (Azure never returns it) of Microsoft.Compute/virtualMachines myVM (properties.osProfile.adminPassword)')
param virtual_machine_my_vm_admin_password string

@secure()
@description('virtual machine administrator password (Azure never returns it) of Microsoft.Compute/virtualMachines virtualMachineName (properties.osProfile.adminPassword)')
param virtual_machine_name_admin_password string

resource rg_my_resource_group 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'myResourceGroup'
  location: 'westus'
}

resource rg_res2627 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'res2627'
  location: 'westus'
}

resource rg_res6117 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'res6117'
  location: 'westus'
}

resource rg_res8186 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'res8186'
  location: 'westus'
}

resource rg_res9407 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'res9407'
  location: 'westus'
}

resource rg_resource_group_name 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'resourceGroupName'
  location: 'westus'
}

resource rg_rg1 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'rg1'
  location: 'westus'
}

resource rg_rg2 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'rg2'
  location: 'westus'
}

resource rg_testcmk3 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'testcmk3'
  location: 'westus'
}

module myResourceGroup_module 'modules/myResourceGroup.bicep' = {
  name: 'myResourceGroup'
  scope: rg_my_resource_group
  params: {
    virtual_machine_my_vm_admin_password: virtual_machine_my_vm_admin_password
  }
}

module res2627_module 'modules/res2627.bicep' = {
  name: 'res2627'
  scope: rg_res2627
}

module res6117_module 'modules/res6117.bicep' = {
  name: 'res6117'
  scope: rg_res6117
}

module res8186_module 'modules/res8186.bicep' = {
  name: 'res8186'
  scope: rg_res8186
}

module res9407_module 'modules/res9407.bicep' = {
  name: 'res9407'
  scope: rg_res9407
}

module resourceGroupName_module 'modules/resourceGroupName.bicep' = {
  name: 'resourceGroupName'
  scope: rg_resource_group_name
  params: {
    virtual_machine_name_admin_password: virtual_machine_name_admin_password
  }
}

module rg1_module 'modules/rg1.bicep' = {
  name: 'rg1'
  scope: rg_rg1
}

module rg2_module 'modules/rg2.bicep' = {
  name: 'rg2'
  scope: rg_rg2
}

module testcmk3_module 'modules/testcmk3.bicep' = {
  name: 'testcmk3'
  scope: rg_testcmk3
}
