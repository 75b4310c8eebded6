// Lets the app's identity register data asset versions in one Azure Machine Learning workspace: AzureML Data Scientist
// on that workspace, and nothing beyond it. The workspace is yours; this module is deployed to its resource group.
param workspaceName string
param principalId string

// AzureML Data Scientist: reads and writes the workspace's assets (data/versions/write among them), jobs and
// datastores; may not change or delete the workspace, nor create or delete its computes. The least built-in role
// that may register a data asset version.
var azureMlDataScientist = 'f6c7c914-8db3-469d-8ca1-694a8f32e121'

resource workspace 'Microsoft.MachineLearningServices/workspaces@2025-09-01' existing = {
  name: workspaceName
}

resource dataScientist 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: workspace
  name: guid(workspace.id, principalId, azureMlDataScientist)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', azureMlDataScientist)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
