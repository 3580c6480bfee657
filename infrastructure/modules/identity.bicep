// The service's user-assigned managed identity. Its roles are granted where the resources are:
// Reader on the target scope (target-reader.bicep, at subscription scope), Key Vault Secrets
// User on the vault (keyvault.bicep) and Storage Blob Data Contributor on the artifacts and
// backups containers (storage.bicep). Nothing else: no Contributor anywhere (risk R10).
param location string
param nameSuffix string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'atg-identity-${nameSuffix}'
  location: location
}

output identityId string = identity.id
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
