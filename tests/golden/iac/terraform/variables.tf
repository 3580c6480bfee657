variable "virtual_machine_my_vm_admin_password" {
  description = "virtual machine administrator password (Azure never returns it) of Microsoft.Compute/virtualMachines myVM (properties.osProfile.adminPassword)"
  type        = string
  sensitive   = true
}

variable "virtual_machine_name_admin_password" {
  description = "virtual machine administrator password (Azure never returns it) of Microsoft.Compute/virtualMachines virtualMachineName (properties.osProfile.adminPassword)"
  type        = string
  sensitive   = true
}
