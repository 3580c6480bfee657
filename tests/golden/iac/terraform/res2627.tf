resource "azurerm_resource_group" "rg_res2627" {
  name     = "res2627"
  location = "westus"
}

resource "azurerm_storage_account" "storage_account_sto1125" {
  name                       = "sto1125"
  resource_group_name        = azurerm_resource_group.rg_res2627.name
  location                   = "eastus"
  account_tier               = "Standard"
  account_replication_type   = "GRS"
  account_kind               = "Storage"
  https_traffic_only_enabled = false
  is_hns_enabled             = true
  tags = {
    key1 = "value1"
    key2 = "value2"
  }
}
