// Lets the app's identity read the one secret that holds the alert webhook URL (a Key Vault reference app setting).
// The vault (RBAC authorization) and the secret are yours: this only grants reading that secret.
param vaultName string
param secretName string
param principalId string

// Key Vault Secrets User: reads a secret's value; scoped to the one secret, not the vault.
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: secretName
}

resource secretReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: secret
  name: guid(secret.id, principalId, keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Without a version: the app follows the secret's latest version.
output secretUri string = '${vault.properties.vaultUri}secrets/${secretName}/'
