// Azure Monitor alerts, besides Tributary's own webhook alerts: a run failed; messages sit on poison queues.
// Both read Application Insights' traces, where every line the app logs lands (README: Logs, Alerts).
param name string
param location string
param appInsightsId string
param emails array
param webhooks array

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${name}'
  location: 'Global'
  properties: {
    groupShortName: 'tributary'
    enabled: true
    emailReceivers: [for (email, i) in emails: {
      name: 'email-${i}'
      emailAddress: email
      useCommonAlertSchema: true
    }]
    webhookReceivers: [for (url, i) in webhooks: {
      name: 'webhook-${i}'
      serviceUri: url
      useCommonAlertSchema: true
    }]
  }
}

// RunStore logs "run failed: RUN of pipeline P in STAGE: ERROR" once, when a failed outcome is recorded
// (io.tributary.run.RunOutcome.failedLogLine): one alert per pipeline with failed runs in the window.
resource failedRuns 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'alert-${name}-failed-runs'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Tributary: a run failed'
    description: 'A pipeline run failed. Find why with: tributary status RUN_ID, GET /api/runs/RUN_ID, or the traces of the run (message has "run=RUN_ID").'
    severity: 1
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: '''
traces
| where message contains "run failed: "
| parse message with * "run failed: " runId " of pipeline " pipeline " in " place ": " error
| project timestamp, pipeline, runId, place, error
'''
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'pipeline'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

// The poisonWatch function peeks at every poison queue (webjobs-blobtrigger-poison and pipeline-{stage}-poison) on
// its schedule and logs "poison queues: N messages, M alerted now": the alert holds while any message is there.
resource poisonedMessages 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'alert-${name}-poison-queues'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Tributary: messages on poison queues'
    description: 'Messages sit on a poison queue (a file drop whose blob trigger gave up, or a stage message that failed its last attempt). Inspect them with az storage message peek --auth-mode login, fix the cause, then drop the file again or tributary rerun RUN_ID, and delete the message.'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: '''
traces
| where message contains "poison queues: "
| parse message with * "poison queues: " poisoned:long " messages" *
| project timestamp, poisoned
'''
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'poisoned'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

output actionGroupId string = actionGroup.id
