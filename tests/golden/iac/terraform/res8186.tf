resource "azurerm_resource_group" "rg_res8186" {
  name     = "res8186"
  location = "westus"
}

resource "azurerm_storage_account" "storage_account_sto834" {
  name                       = "sto834"
  resource_group_name        = azurerm_resource_group.rg_res8186.name
  location                   = "eastus"
  account_tier               = "Standard"
  account_replication_type   = "GRS"
  account_kind               = "Storage"
  https_traffic_only_enabled = false
  tags = {
    key1 = "value1"
    key2 = "value2"
  }
}
