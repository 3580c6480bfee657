resource "azurerm_resource_group" "rg_res9407" {
  name     = "res9407"
  location = "westus"
}

resource "azurerm_storage_account" "storage_account_sto8596" {
  name                       = "sto8596"
  resource_group_name        = azurerm_resource_group.rg_res9407.name
  location                   = "eastus2(stage)"
  account_tier               = "Standard"
  account_replication_type   = "GRS"
  account_kind               = "Storage"
  https_traffic_only_enabled = false
  is_hns_enabled             = true
  network_rules {
    default_action = "Allow"
    bypass         = ["AzureServices"]
  }
  tags = {
    key1 = "value1"
    key2 = "value2"
  }
}
