using './main.bicep'

// Change these for your deployment; see infra/README.md.
param namePrefix = 'tributary'
param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param scheduleTick = '0 * * * * *'
param poisonWatchSchedule = '0 */5 * * * *'
param historyRetentionDays = 90
param alertWebhookVaultName = ''
param alertWebhookSecretName = 'alert-webhook'
param alertEmails = [
  'data-team@example.com'
]
param alertWebhooks = []
param eventSubscriptionEnabled = false
param logRetentionDays = 30
// An Azure Machine Learning workspace's resource id to register each commit in as a data asset version; empty: none.
param azureMlWorkspaceId = ''
// The Azure Databricks workspace (its URL) and the Synapse workspace (its name) job stages run on; empty: none.
param databricksWorkspaceUrl = ''
param synapseWorkspaceName = ''
// The settings your pipeline definitions may name (names or prefixes such as CRM_*), and the containers they may read.
param definitionSettings = 'CRM_API_*,ORDERS_DB_*'
param readableContainers = 'reference,landing,training'
// The settings your pipeline definitions name, secrets as Key Vault references, e.g.
//   { name: 'CRM_API_URL', value: 'https://crm.example.com/api' }
//   { name: 'CRM_API_TOKEN', value: '@Microsoft.KeyVault(SecretUri=https://VAULT.vault.azure.net/secrets/crm-api-token/)' }
param extraSettings = []
