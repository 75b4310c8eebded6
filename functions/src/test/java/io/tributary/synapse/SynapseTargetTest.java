package io.tributary.synapse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A Synapse workspace's settings: its development endpoint (https, or http on the loopback address only, and a token
 * for Synapse goes to no other host), the Livy API version, the resource id Studio links name; the URLs called and the
 * token's scope.
 */
class SynapseTargetTest {

    private static final String ID = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/data-rg"
            + "/providers/Microsoft.Synapse/workspaces/tributaryws";

    private static Optional<SynapseTarget> target(Map<String, String> settings) {
        return SynapseTarget.fromSettings(name -> Optional.ofNullable(settings.get(name)));
    }

    private static String refusal(Map<String, String> settings) {
        return assertThrows(IllegalStateException.class, () -> target(settings)).getMessage();
    }

    @Test
    void withoutAnEndpointThereIsNoSynapseCompute() {
        assertEquals(Optional.empty(), target(Map.of()));
        assertEquals(Optional.empty(), target(Map.of(SynapseTarget.ENDPOINT_SETTING, "  ")));
    }

    @Test
    void theEndpointIsReadWithTheDefaultVersionAndThePublicScope() {
        SynapseTarget target = target(Map.of(SynapseTarget.ENDPOINT_SETTING, " https://TributaryWS.dev.azuresynapse.net/ "))
                .orElseThrow();

        assertEquals(List.of(URI.create("https://tributaryws.dev.azuresynapse.net"), "2019-11-01-preview",
                "https://dev.azuresynapse.net/.default", "tributaryws"), List.of(target.endpoint(),
                target.livyApiVersion(), target.scope(), target.workspaceName()));
        assertEquals(null, target.workspaceId());
    }

    @Test
    void theUrlsCarryTheLivyVersionAsAPathSegment() {
        SynapseTarget target = target(Map.of(SynapseTarget.ENDPOINT_SETTING, "https://tributaryws.dev.azuresynapse.net",
                SynapseTarget.API_VERSION_SETTING, "2020-12-01")).orElseThrow();
        String base = "https://tributaryws.dev.azuresynapse.net/livyApi/versions/2020-12-01/sparkPools/etl/batches";

        assertEquals(List.of(URI.create(base + "?detailed=true"), URI.create(base + "?detailed=true&from=40&size=20"),
                URI.create(base + "/7?detailed=true"), URI.create(base + "/7")), List.of(target.batches("etl"),
                target.batchList("etl", 40, 20), target.batch("etl", 7), target.batchToCancel("etl", 7)));
    }

    @Test
    void anotherCloudsEndpointHasItsOwnScope() {
        assertEquals("https://dev.azuresynapse.usgovcloudapi.net/.default",
                new SynapseTarget(URI.create("https://ws1.dev.azuresynapse.usgovcloudapi.net")).scope());
        assertEquals("https://dev.azuresynapse.azure.cn/.default",
                new SynapseTarget(URI.create("https://ws1.dev.azuresynapse.azure.cn")).scope());
    }

    @Test
    void aStandInOnTheLoopbackAddressMayBePlainHttp() {
        SynapseTarget target = target(Map.of(SynapseTarget.ENDPOINT_SETTING, "http://127.0.0.1:7345")).orElseThrow();

        assertEquals(List.of(URI.create("http://127.0.0.1:7345"), "https://dev.azuresynapse.net/.default",
                "127.0.0.1:7345"), List.of(target.endpoint(), target.scope(), target.workspaceName()));
        assertEquals(URI.create("http://localhost:80"), new SynapseTarget(URI.create("http://localhost:80/")).endpoint());
    }

    @Test
    void aMalformedEndpointIsRefusedNamingTheSettingAndAnExample() {
        String start = "the app setting TRIBUTARY_SYNAPSE_ENDPOINT must be the Synapse workspace's development "
                + "endpoint, such as https://myworkspace.dev.azuresynapse.net (Synapse Studio: Manage > Workspace "
                + "settings; az synapse workspace show -n NAME -g GROUP --query connectivityEndpoints.dev): ";
        assertEquals(start + "'http://tributaryws.dev.azuresynapse.net' is not https, and the app's token is sent to "
                + "it (plain http is for a stand-in on this machine's loopback address only)",
                refusal(Map.of(SynapseTarget.ENDPOINT_SETTING, "http://tributaryws.dev.azuresynapse.net")));
        for (String host : List.of("https://tributaryws.sql.azuresynapse.net", "https://web.azuresynapse.net.evil.com",
                "https://tributaryws.dev.azuresynapse.net.example.com", "https://example.com")) {
            assertEquals(start + "'" + host + "' is not a Synapse workspace's development endpoint, which is "
                    + "https://{workspace}.dev.azuresynapse.net (or .dev.azuresynapse.usgovcloudapi.net, "
                    + ".dev.azuresynapse.azure.cn), such as https://myworkspace.dev.azuresynapse.net, and the app's "
                    + "token for Synapse goes to no other host", refusal(Map.of(SynapseTarget.ENDPOINT_SETTING, host)));
        }
        for (String notAnEndpoint : List.of("https://tributaryws.dev.azuresynapse.net/livyApi",
                "https://tributaryws.dev.azuresynapse.net?x=1", "tributaryws")) {
            assertEquals(start + "'" + notAnEndpoint + "' is not an endpoint: it is an https URL without a path, such "
                    + "as https://myworkspace.dev.azuresynapse.net",
                    refusal(Map.of(SynapseTarget.ENDPOINT_SETTING, notAnEndpoint)));
        }
        assertEquals(start + "'https://tributary ws' does not parse as a URL",
                refusal(Map.of(SynapseTarget.ENDPOINT_SETTING, "https://tributary ws")));
    }

    @Test
    void aMalformedApiVersionIsRefusedNamingTheSetting() {
        assertEquals("the app setting TRIBUTARY_SYNAPSE_LIVY_API_VERSION must be a Livy API version such as "
                + "2019-11-01-preview (the default) or 2020-12-01, not 'latest'", refusal(Map.of(
                SynapseTarget.ENDPOINT_SETTING, "https://tributaryws.dev.azuresynapse.net",
                SynapseTarget.API_VERSION_SETTING, "latest")));
    }

    @Test
    void theWorkspacesResourceIdMakesStudioLinks() {
        SynapseTarget target = target(Map.of(SynapseTarget.ENDPOINT_SETTING, "https://tributaryws.dev.azuresynapse.net",
                SynapseTarget.WORKSPACE_ID_SETTING, ID.replace("resourceGroups", "resourcegroups") + "/")).orElseThrow();

        assertEquals(ID, target.workspaceId());
        assertEquals(Optional.of("https://web.azuresynapse.net/en/monitoring/sparkapplication/r1-score-1"
                + "?workspace=%2Fsubscriptions%2F00000000-1111-2222-3333-444444444444%2FresourceGroups%2Fdata-rg"
                + "%2Fproviders%2FMicrosoft.Synapse%2Fworkspaces%2Ftributaryws&livyId=12&sparkPoolName=etl"),
                target.studioLink("r1-score-1", "etl", 12));
        assertEquals(Optional.empty(), new SynapseTarget(target.endpoint()).studioLink("r1-score-1", "etl", 12),
                "without the resource id there is no Studio link");
    }

    @Test
    void aResourceIdOfAnotherWorkspaceOrShapeIsRefused() {
        assertEquals("the app setting TRIBUTARY_SYNAPSE_WORKSPACE_ID must be the resource id of the workspace "
                + "TRIBUTARY_SYNAPSE_ENDPOINT names: '" + ID + "' names the workspace tributaryws, but the endpoint "
                + "https://otherws.dev.azuresynapse.net is the workspace otherws's", refusal(Map.of(
                SynapseTarget.ENDPOINT_SETTING, "https://otherws.dev.azuresynapse.net",
                SynapseTarget.WORKSPACE_ID_SETTING, ID)));
        assertEquals("the app setting TRIBUTARY_SYNAPSE_WORKSPACE_ID must be the resource id of the workspace "
                + "TRIBUTARY_SYNAPSE_ENDPOINT names: 'tributaryws' is not a Synapse workspace's resource id, which "
                + "looks like /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Synapse/"
                + "workspaces/{name} (az synapse workspace show -n NAME -g GROUP --query id -o tsv prints it)",
                refusal(Map.of(SynapseTarget.ENDPOINT_SETTING, "https://tributaryws.dev.azuresynapse.net",
                        SynapseTarget.WORKSPACE_ID_SETTING, "tributaryws")));
    }
}
