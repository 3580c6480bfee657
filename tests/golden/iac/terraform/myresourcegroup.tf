resource "azurerm_resource_group" "rg_my_resource_group" {
  name     = "myResourceGroup"
  location = "westus"
}

resource "azurerm_windows_virtual_machine" "virtual_machine_my_vm" {
  name                  = "myVM"
  resource_group_name   = azurerm_resource_group.rg_my_resource_group.name
  location              = "West US"
  size                  = "Standard_DS3_v2"
  computer_name         = "myVM"
  admin_username        = "azureuser"
  admin_password        = var.virtual_machine_my_vm_admin_password
  network_interface_ids = ["/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myResourceGroup/providers/Microsoft.Network/networkInterfaces/myNIC"]
  availability_set_id   = "/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myResourceGroup/providers/Microsoft.Compute/availabilitySets/my-AvailabilitySet"
  os_disk {
    name                 = "myOsDisk"
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
    disk_size_gb         = 30
  }
  source_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2016-Datacenter"
    version   = "latest"
  }
  boot_diagnostics {
    storage_account_uri = "http://{myStorageAccount}.blob.core.windows.net"
  }
  tags = {
    myTag1 = "tagValue1"
  }
}

resource "azurerm_virtual_machine_data_disk_attachment" "virtual_machine_my_vm_0" {
  managed_disk_id    = "/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myResourceGroup/providers/Microsoft.Compute/disks/myDataDisk0"
  virtual_machine_id = azurerm_windows_virtual_machine.virtual_machine_my_vm.id
  lun                = 0
  caching            = "ReadWrite"
}

resource "azurerm_virtual_machine_data_disk_attachment" "virtual_machine_my_vm_1" {
  managed_disk_id    = "/subscriptions/6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d/resourceGroups/myResourceGroup/providers/Microsoft.Compute/disks/myDataDisk1"
  virtual_machine_id = azurerm_windows_virtual_machine.virtual_machine_my_vm.id
  lun                = 1
  caching            = "ReadWrite"
}
