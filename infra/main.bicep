// Tributary in Azure: a Flex Consumption function app (Java 17) on one storage account, reached only through a
// user-assigned managed identity; Application Insights for its logs; Event Grid for file drops; alert rules.
// Deploy with: az deployment group create -g RG -f infra/main.bicep -p infra/main.bicepparam (see infra/README.md).

targetScope = 'resourceGroup'

@description('Prefix of every resource name (letters and digits, 3-11 characters); a hash of the resource group makes the names unique.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'tributary'

param location string = resourceGroup().location

@description('Memory of each Flex Consumption instance, in MB: 2048 or 4096 (DuckDB works within TRIBUTARY_ENGINE_MEMORY of it).')
@allowed([2048, 4096])
param instanceMemoryMB int = 2048

@description('The most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('NCRONTAB (6 fields) on which the schedule function looks for due pipelines.')
param scheduleTick string = '0 * * * * *'

@description('NCRONTAB on which the poisonWatch function peeks at the poison queues.')
param poisonWatchSchedule string = '0 */5 * * * *'

@description('Days of run history the tables keep (TRIBUTARY_HISTORY_RETENTION_DAYS).')
param historyRetentionDays int = 90

@description('A Key Vault in this resource group holding the alert webhook URL as a secret; empty: Tributary posts no webhook alerts.')
param alertWebhookVaultName string = ''

@description('The name of that secret.')
param alertWebhookSecretName string = 'alert-webhook'

@description('Email addresses the Azure Monitor alerts (failed runs, poisoned messages) go to.')
param alertEmails array = []

@description('Webhook URLs (https) the Azure Monitor alerts also go to, as Azure Monitor\'s common alert schema.')
param alertWebhooks array = []

@description('Create the Event Grid subscription that delivers file drops to the fileDrop function. Needs the app\'s code deployed first (the blobs extension key exists only then): deploy with false, publish the package, deploy again with true.')
param eventSubscriptionEnabled bool = false

@description('More app settings, as [{name, value}]: the settings your pipeline definitions name (%CRM_API_URL%…), secrets among them as Key Vault references (@Microsoft.KeyVault(SecretUri=…)). Every deployment sets the app settings anew, so settings belong here, not in the portal.')
param extraSettings array = []

@description('The app settings pipeline definitions may name as %SETTING% (TRIBUTARY_DEFINITION_SETTINGS): names or prefixes ending in *, comma-separated; the Functions host\'s, Azure\'s and Tributary\'s own settings stay closed whatever it lists.')
param definitionSettings string = 'CRM_API_*,ORDERS_DB_*'

@description('The blob containers pipeline definitions may read, for source.blob, lookups and dataset triggers (TRIBUTARY_READABLE_CONTAINERS); Tributary\'s own state and the Functions host\'s containers stay closed whatever it lists.')
param readableContainers string = 'reference,landing,training'

@description('Days Log Analytics keeps logs.')
param logRetentionDays int = 30

@description('An Azure Machine Learning workspace\'s resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.MachineLearningServices/workspaces/…), in this subscription or another of the tenant: the app registers each commit there as a data asset version (TRIBUTARY_AZUREML_WORKSPACE_ID), and its identity gets AzureML Data Scientist on that workspace. Empty: nothing is registered and no role is granted.')
param azureMlWorkspaceId string = ''

@description('An Azure Databricks workspace\'s URL (https://adb-….azuredatabricks.net) that job stages run on (TRIBUTARY_DATABRICKS_URL). The app\'s identity must be added to the workspace as a service principal allowed to run the jobs (infra/README.md). Empty: no Databricks jobs.')
param databricksWorkspaceUrl string = ''

@description('A Synapse workspace\'s name whose Spark pools job stages run on (TRIBUTARY_SYNAPSE_ENDPOINT). The app\'s identity needs the Synapse RBAC role Synapse Compute Operator on the pools (infra/README.md). Empty: no Synapse jobs.')
param synapseWorkspaceName string = ''

var suffix = uniqueString(resourceGroup().id, namePrefix)
var appName = '${namePrefix}-${suffix}'
var storageAccountName = take(toLower('${namePrefix}${suffix}'), 24)

// The names the app uses, from io.tributary.functions.AppResources (InfraTest checks these lists against it).
var containers = [
  'landing'
  'tributary-runs'
  'training'
  'archive'
  'tributary-state'
]
var deploymentContainer = 'app-package'
var queues = [
  'pipeline-extract'
  'pipeline-extract-poison'
  'pipeline-job'
  'pipeline-job-poison'
  'pipeline-transform'
  'pipeline-transform-poison'
  'pipeline-combine'
  'pipeline-combine-poison'
  'pipeline-store'
  'pipeline-store-poison'
  'webjobs-blobtrigger-poison'
]
var tables = [
  'TributaryRuns'
  'TributaryRunStages'
]
var landingContainer = 'landing'

// The workspace's subscription, resource group and name: items 2, 4 and 8 of its resource id split at '/'. ARM evaluates
// a module's scope even when its condition is false, so an empty id stands for a well-formed placeholder that nothing
// is deployed to.
var azureMlPlaceholder = '/subscriptions/${subscription().subscriptionId}/resourceGroups/${resourceGroup().name}/providers/Microsoft.MachineLearningServices/workspaces/none'
var azureMlWorkspace = split(empty(azureMlWorkspaceId) ? azureMlPlaceholder : azureMlWorkspaceId, '/')

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${appName}'
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    containers: concat(containers, [deploymentContainer])
    queues: queues
    tables: tables
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: appName
    location: location
    retentionDays: logRetentionDays
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module alertWebhookAccess 'modules/keyvault-access.bicep' = if (!empty(alertWebhookVaultName)) {
  name: 'alert-webhook-access'
  params: {
    vaultName: alertWebhookVaultName
    secretName: alertWebhookSecretName
    principalId: identity.outputs.principalId
  }
}

module azureMlAccess 'modules/azureml-access.bicep' = if (!empty(azureMlWorkspaceId)) {
  name: 'azureml-access'
  scope: resourceGroup(azureMlWorkspace[2], azureMlWorkspace[4])
  params: {
    workspaceName: azureMlWorkspace[8]
    principalId: identity.outputs.principalId
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: appName
    location: location
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainer: deploymentContainer
    appInsightsName: monitoring.outputs.appInsightsName
    extraSettings: extraSettings
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    scheduleTick: scheduleTick
    poisonWatchSchedule: poisonWatchSchedule
    historyRetentionDays: historyRetentionDays
    definitionSettings: definitionSettings
    readableContainers: readableContainers
    alertWebhookSecretUri: empty(alertWebhookVaultName) ? '' : alertWebhookAccess.outputs.secretUri
    azureMlWorkspaceId: azureMlWorkspaceId
    databricksWorkspaceUrl: databricksWorkspaceUrl
    synapseWorkspaceName: synapseWorkspaceName
  }
  // The host must be able to reach its storage and Application Insights the moment it starts, and the workspace
  // (when there is one) its first commit.
  dependsOn: [
    roles
    azureMlAccess
  ]
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    name: 'evgt-${appName}'
    location: location
    storageAccountName: storage.outputs.name
    appName: app.outputs.name
    landingContainer: landingContainer
    subscriptionEnabled: eventSubscriptionEnabled
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    name: appName
    location: location
    appInsightsId: monitoring.outputs.appInsightsId
    emails: alertEmails
    webhooks: alertWebhooks
  }
}

output appName string = app.outputs.name
output defaultHostName string = app.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output blobEndpoint string = storage.outputs.blobEndpoint
output queueEndpoint string = storage.outputs.queueEndpoint
output tableEndpoint string = storage.outputs.tableEndpoint
output identityClientId string = identity.outputs.clientId
output identityPrincipalId string = identity.outputs.principalId
output appInsightsName string = monitoring.outputs.appInsightsName
