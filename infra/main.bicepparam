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
