output "rg_my_resource_group_id" {
  description = "Id of resource group myResourceGroup"
  value       = azurerm_resource_group.rg_my_resource_group.id
}

output "rg_res2627_id" {
  description = "Id of resource group res2627"
  value       = azurerm_resource_group.rg_res2627.id
}

output "rg_res6117_id" {
  description = "Id of resource group res6117"
  value       = azurerm_resource_group.rg_res6117.id
}

output "rg_res8186_id" {
  description = "Id of resource group res8186"
  value       = azurerm_resource_group.rg_res8186.id
}

output "rg_res9407_id" {
  description = "Id of resource group res9407"
  value       = azurerm_resource_group.rg_res9407.id
}

output "rg_resource_group_name_id" {
  description = "Id of resource group resourceGroupName"
  value       = azurerm_resource_group.rg_resource_group_name.id
}

output "rg_rg1_id" {
  description = "Id of resource group rg1"
  value       = azurerm_resource_group.rg_rg1.id
}

output "rg_rg2_id" {
  description = "Id of resource group rg2"
  value       = azurerm_resource_group.rg_rg2.id
}

output "rg_testcmk3_id" {
  description = "Id of resource group testcmk3"
  value       = azurerm_resource_group.rg_testcmk3.id
}
