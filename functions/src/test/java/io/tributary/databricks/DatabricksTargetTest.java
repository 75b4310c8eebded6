package io.tributary.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The workspace's URL from the app setting: https (http on loopback only), without a path; the URLs and scope used. */
class DatabricksTargetTest {

    private static final String URL = "https://adb-5555555555555555.19.azuredatabricks.net";

    private static Optional<DatabricksTarget> fromSettings(Map<String, String> settings) {
        return DatabricksTarget.fromSettings(name -> Optional.ofNullable(settings.get(name)));
    }

    private static String refusal(String url) {
        return assertThrows(IllegalStateException.class,
                () -> fromSettings(Map.of(DatabricksTarget.SETTING, url))).getMessage();
    }

    @Test
    void noSettingNoWorkspace() {
        assertEquals(Optional.empty(), fromSettings(Map.of()));
        assertEquals(Optional.empty(), fromSettings(Map.of(DatabricksTarget.SETTING, "  ")));
    }

    @Test
    void theSettingNamesTheWorkspaceByItsUrl() {
        DatabricksTarget target = fromSettings(Map.of(DatabricksTarget.SETTING, " " + URL + "/ ")).orElseThrow();

        assertEquals(URI.create(URL), target.workspace(), "the trailing slash is dropped");
        assertEquals("adb-5555555555555555.19.azuredatabricks.net", target.host());
        assertEquals(URI.create(URL + "/api/2.1/jobs/runs/get?run_id=7"), target.jobs("runs/get?run_id=7"));
        assertEquals("Databricks workspace adb-5555555555555555.19.azuredatabricks.net", target.toString());
        assertEquals("2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default", DatabricksTarget.SCOPE,
                "Azure Databricks' first-party application, the same in every tenant");
        assertEquals(URI.create("https://adb-1.2.databricks.azure.cn"),
                new DatabricksTarget(URI.create("https://adb-1.2.databricks.azure.cn")).workspace(),
                "another cloud's workspace is taken as it is");
    }

    @Test
    void plainHttpGoesToTheLoopbackAddressOnly() {
        DatabricksTarget local = new DatabricksTarget(URI.create("http://127.0.0.1:8089"));
        assertEquals("127.0.0.1:8089", local.host());
        assertEquals(URI.create("http://127.0.0.1:8089/api/2.1/jobs/runs/submit"), local.jobs("runs/submit"));
        assertEquals(URI.create("http://localhost:8089"),
                new DatabricksTarget(URI.create("http://localhost:8089/")).workspace());
    }

    @Test
    void aUrlThatIsNotAWorkspacesIsRefusedNamingTheSettingAndAnExample() {
        for (String bad : List.of("http://adb-5555555555555555.19.azuredatabricks.net",
                URL + "/?o=5555555555555555", URL + "/api/2.1/jobs", "adb-5555555555555555.19.azuredatabricks.net",
                "https://user@adb-1.2.azuredatabricks.net", URL + "#job/1", "ftp://127.0.0.1")) {
            assertEquals("the app setting TRIBUTARY_DATABRICKS_URL must be an Azure Databricks workspace's URL: a "
                    + "Databricks workspace URL is https without a path, such as "
                    + "https://adb-1234567890123456.7.azuredatabricks.net (the URL on the workspace's page in the Azure "
                    + "portal); not '" + bad + "': a token is sent to it", refusal(bad));
        }
        assertEquals("the app setting TRIBUTARY_DATABRICKS_URL must be an Azure Databricks workspace's URL such as "
                + "https://adb-1234567890123456.7.azuredatabricks.net; 'https://adb 1.azuredatabricks.net' does not "
                + "parse as a URL", refusal("https://adb 1.azuredatabricks.net"));
    }
}
