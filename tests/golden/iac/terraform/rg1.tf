resource "azurerm_resource_group" "rg_rg1" {
  name     = "rg1"
  location = "westus"
}

resource "azurerm_network_security_group" "network_security_group_nsg1" {
  name                = "nsg1"
  resource_group_name = azurerm_resource_group.rg_rg1.name
  location            = "westus"
}

resource "azurerm_network_security_group" "network_security_group_testnsg" {
  name                = "testnsg"
  resource_group_name = azurerm_resource_group.rg_rg1.name
  location            = "westus"
}

resource "azurerm_network_security_rule" "security_rule_testnsg_rule1" {
  name                        = "rule1"
  resource_group_name         = azurerm_resource_group.rg_rg1.name
  network_security_group_name = azurerm_network_security_group.network_security_group_testnsg.name
  priority                    = 130
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "80"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
}

resource "azurerm_virtual_network" "virtual_network_test_vnet" {
  name                = "test-vnet"
  resource_group_name = azurerm_resource_group.rg_rg1.name
  location            = "westus"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "subnet_test_vnet_subnet1" {
  name                 = "subnet1"
  resource_group_name  = azurerm_resource_group.rg_rg1.name
  virtual_network_name = azurerm_virtual_network.virtual_network_test_vnet.name
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_virtual_network" "virtual_network_vnet1" {
  name                = "vnet1"
  resource_group_name = azurerm_resource_group.rg_rg1.name
  location            = "westus"
  address_space       = ["10.0.0.0/8"]
}

resource "azurerm_subnet" "subnet_vnet1_test_1" {
  name                 = "test-1"
  resource_group_name  = azurerm_resource_group.rg_rg1.name
  virtual_network_name = azurerm_virtual_network.virtual_network_vnet1.name
  address_prefixes     = ["10.0.0.0/24"]
}

resource "azurerm_virtual_network" "virtual_network_vnet2_rg1" {
  name                = "vnet2"
  resource_group_name = azurerm_resource_group.rg_rg1.name
  location            = "westus"
  address_space       = ["10.0.0.0/16"]
  dns_servers         = ["8.8.8.8"]
}
