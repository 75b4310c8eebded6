package io.tributary.azureml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A workspace's resource id, read with what is wrong with it; ARM's endpoint, https only; the URLs called. */
class AzureMlTargetTest {

    private static final String ID = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg"
            + "/providers/Microsoft.MachineLearningServices/workspaces/ml-prod";

    private static String refusal(String id) {
        return assertThrows(IllegalArgumentException.class, () -> AzureMlWorkspace.parse(id)).getMessage();
    }

    @Test
    void aWorkspaceIdIsReadIntoItsParts() {
        AzureMlWorkspace workspace = AzureMlWorkspace.parse(" " + ID + "/ ");
        assertEquals(List.of("00000000-1111-2222-3333-444444444444", "ml-rg", "ml-prod", ID),
                List.of(workspace.subscriptionId(), workspace.resourceGroup(), workspace.name(), workspace.resourceId()));
        assertEquals(ID, AzureMlWorkspace.parse(ID.replace("resourceGroups", "resourcegroups")
                .replace("Microsoft.MachineLearningServices", "microsoft.machinelearningservices")).resourceId(),
                "ARM's fixed segments are read without case, and written in its own spelling");
        assertEquals("Rg.(test)_1", AzureMlWorkspace.parse(ID.replace("ml-rg", "Rg.(test)_1")).resourceGroup());
    }

    @Test
    void whatIsWrongWithAWorkspaceIdIsSaid() {
        assertEquals("'ml-prod' is not a workspace's resource id, which looks like /subscriptions/{subscription}"
                + "/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{name} (az ml workspace "
                + "show -g GROUP -n NAME --query id -o tsv prints it)", refusal("ml-prod"));
        String storage = ID.replace("Microsoft.MachineLearningServices/workspaces/ml-prod",
                "Microsoft.Storage/storageAccounts/tributary1");
        assertEquals("'" + storage + "' names a Microsoft.Storage/storageAccounts, not an Azure Machine Learning "
                + "workspace (" + AzureMlWorkspace.SHAPE + ")", refusal(storage));
        assertEquals("'" + ID.replace("00000000-1111-2222-3333-444444444444", "my-sub") + "' has 'my-sub' for its "
                + "subscription, which is a GUID such as 00000000-1111-2222-3333-444444444444",
                refusal(ID.replace("00000000-1111-2222-3333-444444444444", "my-sub")));
        assertEquals("'" + ID.replace("ml-rg", "rg.") + "' has 'rg.' for its resource group, which is 1 to 90 "
                + "letters, digits, '-', '_', '.', '(' and ')', not ending in '.'", refusal(ID.replace("ml-rg", "rg.")));
        assertEquals("'" + ID.replace("ml-prod", "ml") + "' has 'ml' for its workspace name, which is 3 to 33 letters, "
                + "digits, '-' and '_', starting with a letter or digit", refusal(ID.replace("ml-prod", "ml")));
        assertEquals("'" + ID + "/data/orders' is not a workspace's resource id, which looks like "
                + AzureMlWorkspace.SHAPE + " (az ml workspace show -g GROUP -n NAME --query id -o tsv prints it)",
                refusal(ID + "/data/orders"));
    }

    @Test
    void armsEndpointIsHttpsWithoutAPathOrALoopbackStandIn() {
        AzureMlWorkspace workspace = AzureMlWorkspace.parse(ID);
        assertEquals(URI.create("https://management.usgovcloudapi.net"),
                new AzureMlTarget(workspace, URI.create("https://management.usgovcloudapi.net/")).endpoint());
        assertEquals(URI.create("http://127.0.0.1:8080"),
                new AzureMlTarget(workspace, URI.create("http://127.0.0.1:8080/")).endpoint(), "a local stand-in");
        assertEquals(URI.create("http://localhost:8080"),
                new AzureMlTarget(workspace, URI.create("http://localhost:8080")).endpoint(), "a local stand-in");
        for (String bad : List.of("http://management.azure.com", "http://10.0.0.4:8080", "http://127.0.0.1:8080/x",
                "https://management.azure.com/x", "https://management.azure.com?a=b", "management.azure.com")) {
            assertEquals("ARM's endpoint is an https URL without a path, such as https://management.azure.com (or "
                    + "https://management.usgovcloudapi.net, https://management.chinacloudapi.cn); not '" + bad
                    + "': a token is sent to it", assertThrows(IllegalArgumentException.class,
                    () -> new AzureMlTarget(workspace, URI.create(bad))).getMessage());
        }
    }

    @Test
    void aDataVersionsUrlCarriesTheApiVersionAndTheTokensScopeIsArms() {
        AzureMlTarget target = new AzureMlTarget(AzureMlWorkspace.parse(ID), AzureMlTarget.PUBLIC_CLOUD);
        assertEquals(URI.create("https://management.azure.com" + ID + "/data/orders-train/versions/0"
                + "?api-version=2025-09-01"), target.dataVersion("orders-train", "0"));
        assertEquals(URI.create("https://management.azure.com" + ID + "/jobs/orders-7-train?api-version=2025-09-01"),
                target.job("orders-7-train"));
        assertEquals(URI.create("https://management.azure.com" + ID + "/jobs/orders-7-train/cancel"
                + "?api-version=2025-09-01"), target.jobCancel("orders-7-train"));
        assertEquals("https://management.azure.com/.default", target.scope());
        assertEquals("https://127.0.0.1/.default",
                new AzureMlTarget(AzureMlWorkspace.parse(ID), URI.create("https://127.0.0.1:4443")).scope());
    }

    @Test
    void theSettingsNameTheWorkspaceAndTheEndpoint() {
        assertEquals(Optional.empty(), AzureMlTarget.fromSettings(name -> Optional.empty()));
        Map<String, String> settings = Map.of(AzureMlTarget.WORKSPACE_SETTING, ID,
                AzureMlTarget.ENDPOINT_SETTING, "http://management.azure.com");
        assertEquals("the app setting TRIBUTARY_AZUREML_ENDPOINT must be Azure Resource Manager's endpoint: ARM's "
                + "endpoint is an https URL without a path, such as https://management.azure.com (or "
                + "https://management.usgovcloudapi.net, https://management.chinacloudapi.cn); not "
                + "'http://management.azure.com': a token is sent to it", assertThrows(IllegalStateException.class,
                () -> AzureMlTarget.fromSettings(name -> Optional.ofNullable(settings.get(name)))).getMessage());
    }
}
