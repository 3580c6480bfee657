resource "azurerm_resource_group" "rg_res6117" {
  name     = "res6117"
  location = "westus"
}

resource "azurerm_storage_account" "storage_account_sto4036" {
  name                       = "sto4036"
  resource_group_name        = azurerm_resource_group.rg_res6117.name
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

resource "azurerm_storage_account" "storage_account_sto4452" {
  name                       = "sto4452"
  resource_group_name        = azurerm_resource_group.rg_res6117.name
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
