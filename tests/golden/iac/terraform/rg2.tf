resource "azurerm_resource_group" "rg_rg2" {
  name     = "rg2"
  location = "westus"
}

resource "azurerm_network_security_group" "network_security_group_nsg3" {
  name                = "nsg3"
  resource_group_name = azurerm_resource_group.rg_rg2.name
  location            = "westus"
}

resource "azurerm_virtual_network" "virtual_network_vnet2_rg2" {
  name                = "vnet2"
  resource_group_name = azurerm_resource_group.rg_rg2.name
  location            = "westus"
  address_space       = ["10.0.0.0/16"]
  dns_servers         = ["8.8.8.8"]
}
