// File drops: Flex Consumption runs blob triggers only from Event Grid. A system topic on the storage account sends
// each BlobCreated in the landing container to the blobs extension's webhook, which runs the fileDrop function.
param name string
param location string
param storageAccountName string
param appName string
param landingContainer string
@description('Whether to create the subscription: the blobs extension key exists only once the app\'s code is deployed.')
param subscriptionEnabled bool

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: appName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// The one key this template reads: the host's blobs_extension system key, which Event Grid must present to the
// webhook (it is how the webhook knows the caller). It stays in the subscription's endpoint, never in an output.
resource fileDrops 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (subscriptionEnabled) {
  parent: topic
  name: 'file-drops'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.fileDrop&code=${listKeys('${site.id}/host/default', '2024-04-01').systemKeys.blobs_extension}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${landingContainer}/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output topicName string = topic.name
