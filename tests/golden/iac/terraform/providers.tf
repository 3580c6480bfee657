terraform {
  required_version = ">= 1.5.0"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 5.2"
    }
    azapi = {
      source  = "Azure/azapi"
      version = "~> 2.9"
    }
    azuread = {
      source  = "hashicorp/azuread"
      version = "~> 3.9"
    }
  }
}

provider "azurerm" {
  features {
  }
  subscription_id = "6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d"
  tenant_id       = "0c6a2e4e-5b8f-4f0e-9d1c-7a3b2e1f0d9c"
}

provider "azapi" {
  subscription_id = "6f1f3c1e-2f0b-4f55-9a77-3d9c1a0b2c4d"
  tenant_id       = "0c6a2e4e-5b8f-4f0e-9d1c-7a3b2e1f0d9c"
}

provider "azuread" {
  tenant_id = "0c6a2e4e-5b8f-4f0e-9d1c-7a3b2e1f0d9c"
}
