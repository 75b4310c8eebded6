// The function app: Flex Consumption (FC1), Linux, Java 17, running as the user-assigned identity. Its package is
// deployed from a blob container that the platform reads with that identity; no setting holds a key.
param name string
param location string
param identityId string
param identityClientId string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainer string
@description('The Application Insights component, read here so its connection string never passes through a deployment output.')
param appInsightsName string
@description('More app settings, [{name, value}], after Tributary\'s own.')
param extraSettings array
param instanceMemoryMB int
param maximumInstanceCount int
param scheduleTick string
param poisonWatchSchedule string
param historyRetentionDays int
param definitionSettings string
param readableContainers string
@description('A Key Vault secret URI holding the alert webhook URL, or empty for no webhook alerts.')
param alertWebhookSecretUri string
@description('An Azure Machine Learning workspace\'s resource id that commits are registered in, or empty for none.')
param azureMlWorkspaceId string
@description('An Azure Databricks workspace\'s URL that job stages run on, or empty for none.')
param databricksWorkspaceUrl string
@description('A Synapse workspace\'s name whose Spark pools job stages run on, or empty for none.')
param synapseWorkspaceName string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var settings = [
  // AzureWebJobsStorage, identity-based: the host and every trigger's connection use the identity, no key.
  {
    name: 'AzureWebJobsStorage__blobServiceUri'
    value: blobEndpoint
  }
  {
    name: 'AzureWebJobsStorage__queueServiceUri'
    value: queueEndpoint
  }
  {
    name: 'AzureWebJobsStorage__tableServiceUri'
    value: tableEndpoint
  }
  {
    name: 'AzureWebJobsStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'AzureWebJobsStorage__clientId'
    value: identityClientId
  }
  // Telemetry with Entra ID: the connection string only names the component, the identity is what lets it in.
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsights.properties.ConnectionString
  }
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
    value: 'ClientId=${identityClientId};Authorization=AAD'
  }
  // Bindings name these as %SETTING%; the Functions host in Azure has no defaults for them.
  {
    name: 'TRIBUTARY_SCHEDULE_TICK'
    value: scheduleTick
  }
  {
    name: 'TRIBUTARY_POISON_WATCH_SCHEDULE'
    value: poisonWatchSchedule
  }
  {
    name: 'TRIBUTARY_HISTORY_RETENTION_DAYS'
    value: string(historyRetentionDays)
  }
  // What pipeline definitions may reach: unset, no setting at all, and the default containers.
  {
    name: 'TRIBUTARY_DEFINITION_SETTINGS'
    value: definitionSettings
  }
  {
    name: 'TRIBUTARY_READABLE_CONTAINERS'
    value: readableContainers
  }
  // fileDrop binds an SDK-type BlobClient, so the host never loads a dropped file into memory.
  {
    name: 'JAVA_ENABLE_SDK_TYPES'
    value: 'true'
  }
]

// The webhook URL is a secret: the app setting is only a reference, resolved with the app's identity.
var alertSettings = empty(alertWebhookSecretUri) ? [] : [
  {
    name: 'TRIBUTARY_ALERT_WEBHOOK_URL'
    value: '@Microsoft.KeyVault(SecretUri=${alertWebhookSecretUri})'
  }
]

// Registering each commit as a data asset version: the workspace, and this cloud's Resource Manager, which the app
// reaches it through (the app's token goes there).
var azureMlSettings = empty(azureMlWorkspaceId) ? [] : [
  {
    name: 'TRIBUTARY_AZUREML_WORKSPACE_ID'
    value: azureMlWorkspaceId
  }
  {
    name: 'TRIBUTARY_AZUREML_ENDPOINT'
    value: environment().resourceManager
  }
]

// The workspaces job stages run on; the app's identity is given its rights in each workspace itself (infra/README.md).
var jobSettings = concat(empty(databricksWorkspaceUrl) ? [] : [
  {
    name: 'TRIBUTARY_DATABRICKS_URL'
    value: databricksWorkspaceUrl
  }
], empty(synapseWorkspaceName) ? [] : [
  {
    name: 'TRIBUTARY_SYNAPSE_ENDPOINT'
    value: 'https://${synapseWorkspaceName}.dev.azuresynapse.net'
  }
])

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'asp-${name}'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(settings, alertSettings, azureMlSettings, jobSettings, extraSettings)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'java'
        version: '17'
      }
    }
  }
}

// Publishing uses Entra ID (az login), never the site's basic-auth publishing credentials.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
