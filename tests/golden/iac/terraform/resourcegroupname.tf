resource "azurerm_resource_group" "rg_resource_group_name" {
  name     = "resourceGroupName"
  location = "westus"
}

resource "azurerm_availability_set" "availability_set_name" {
  name                         = "availabilitySetName"
  resource_group_name          = azurerm_resource_group.rg_resource_group_name.name
  location                     = "australiasoutheast"
  platform_fault_domain_count  = 3
  platform_update_domain_count = 5
  managed                      = false
}

resource "azurerm_windows_virtual_machine" "virtual_machine_name" {
  name                  = "virtualMachineName"
  resource_group_name   = azurerm_resource_group.rg_resource_group_name.name
  location              = "eastus"
  size                  = "Standard_A0"
  computer_name         = "Test"
  admin_username        = "Foo12"
  admin_password        = var.virtual_machine_name_admin_password
  network_interface_ids = ["/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/resourceGroupName/providers/Microsoft.Network/networkInterfaces/networkInterfaceName"]
  availability_set_id   = azurerm_availability_set.availability_set_name.id
  os_disk {
    name                 = "test"
    caching              = "None"
    storage_account_type = "Standard_LRS"
    disk_size_gb         = 127
  }
  source_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2012-R2-Datacenter"
    version   = "4.127.20170406"
  }
  tags = {
    RG      = "rg"
    testTag = "1"
  }
}
