resource "azurerm_resource_group" "rg_testcmk3" {
  name     = "testcmk3"
  location = "westus"
}

resource "azurerm_storage_account" "storage_account_sto3699" {
  name                       = "sto3699"
  resource_group_name        = azurerm_resource_group.rg_testcmk3.name
  location                   = "eastus"
  account_tier               = "Standard"
  account_replication_type   = "GRS"
  account_kind               = "Storage"
  https_traffic_only_enabled = false
  identity {
    type = "SystemAssigned"
  }
  tags = {
    key1 = "value1"
    key2 = "value2"
  }
}

resource "azurerm_storage_account" "storage_account_sto6637" {
  name                       = "sto6637"
  resource_group_name        = azurerm_resource_group.rg_testcmk3.name
  location                   = "eastus"
  account_tier               = "Standard"
  account_replication_type   = "GRS"
  account_kind               = "Storage"
  https_traffic_only_enabled = false
  identity {
    type = "SystemAssigned"
  }
  tags = {
    key1 = "value1"
    key2 = "value2"
  }
}

resource "azurerm_storage_account" "storage_account_sto9174" {
  name                       = "sto9174"
  resource_group_name        = azurerm_resource_group.rg_testcmk3.name
  location                   = "eastus"
  account_tier               = "Standard"
  account_replication_type   = "GRS"
  account_kind               = "Storage"
  https_traffic_only_enabled = false
  identity {
    type = "SystemAssigned"
  }
  tags = {
    key1 = "value1"
    key2 = "value2"
  }
}
