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
  }
  // The host must be able to reach its storage and Application Insights the moment it starts.
  dependsOn: [
    roles
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
