package io.tributary.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.alert.WebhookSender;
import io.tributary.azureml.AzureMlTarget;
import io.tributary.port.AlertSender;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The app settings are read once, into types, and every bad one is reported at once with what to set. */
class AppSettingsTest {

    /** The settings {@code values} hold, on Azurite's development account unless they name another. */
    private static AppSettings read(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of(AppResources.STORAGE_CONNECTION, "UseDevelopmentStorage=true"));
        all.putAll(values);
        return readExactly(all);
    }

    private static AppSettings readExactly(Map<String, String> values) {
        return AppSettings.read(name -> Optional.ofNullable(values.get(name)));
    }

    @Test
    void unsetSettingsTakeTheirDefaults() {
        AppSettings settings = read(Map.of("TRIBUTARY_PIPELINE_DEFS", "defs"));
        assertEquals(Duration.ofHours(24), settings.staleRun());
        assertEquals(Duration.ofSeconds(10), settings.holdRecheck());
        assertEquals(Runtime.getRuntime().availableProcessors(), settings.engineSlots());
        assertEquals("512MB", settings.limits().memoryLimit());
        assertEquals(1, settings.limits().threads());
        assertEquals(Path.of("defs"), settings.pipelineDefs());
    }

    @Test
    void setSettingsAreReadIntoTheirTypes() {
        AppSettings settings = read(Map.of("TRIBUTARY_STALE_RUN_HOURS", "6", "TRIBUTARY_HOLD_RECHECK_SECONDS", "3",
                "TRIBUTARY_ENGINE_SLOTS", "4", "TRIBUTARY_ENGINE_MEMORY", "1GB", "TRIBUTARY_WORK_DIR", "/w",
                FunctionApp.MAX_DEQUEUE_COUNT, "7"));
        assertEquals(List.of(Duration.ofHours(6), Duration.ofSeconds(3), 4, "1GB", Path.of("/w"), 7),
                List.of(settings.staleRun(), settings.holdRecheck(), settings.engineSlots(),
                        settings.limits().memoryLimit(), settings.workDir(), settings.maxDequeueCount()));
    }

    @Test
    void oneBadSettingIsNamedWithWhatItShouldBe() {
        for (String bad : List.of("0", "1.5", "a day")) {
            assertEquals("the app setting TRIBUTARY_STALE_RUN_HOURS must be a whole number, at least 1, a number of "
                    + "hours, such as 24; it is '" + bad + "'", assertThrows(IllegalStateException.class,
                    () -> read(Map.of("TRIBUTARY_STALE_RUN_HOURS", bad))).getMessage());
        }
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> read(Map.of(
                "TRIBUTARY_ENGINE_THREADS", "two", "TRIBUTARY_ENGINE_SLOTS", "0", "TRIBUTARY_HOLD_RECHECK_SECONDS", "-1")));
        assertEquals("3 app settings are not valid: "
                + "the app setting TRIBUTARY_ENGINE_THREADS must be a whole number, at least 1, such as 1; it is 'two'; "
                + "the app setting TRIBUTARY_ENGINE_SLOTS must be a whole number, at least 1, such as 2 (one per core); "
                + "it is '0'; the app setting TRIBUTARY_HOLD_RECHECK_SECONDS must be a whole number, at least 0, a "
                + "number of seconds, such as 10; it is '-1'", e.getMessage());
    }

    @Test
    void theStorageAlertsHistoryScheduleAndAccessSettingsTakeTheirDefaults() {
        AppSettings settings = read(Map.of());
        assertEquals(List.of(URI.create("http://127.0.0.1:10000/devstoreaccount1"), Duration.ofMinutes(1),
                        AlertSender.NONE, 90),
                List.of(settings.storage().blobEndpoint(), settings.scheduleTick(), settings.alerts(),
                        settings.historyDays()));
        assertEquals(List.of(false, true, false), List.of(
                settings.access().settings().refusal("CRM_API_URL").isEmpty(),
                settings.access().containers().refusal("reference").isEmpty(),
                settings.access().containers().refusal("secrets").isEmpty()), "definitions name no setting, and "
                + "read reference, landing and training");
    }

    @Test
    void theStorageAlertsHistoryScheduleAndAccessSettingsAreReadIntoTheirTypes() {
        AppSettings settings = read(Map.of(AppResources.STORAGE_CONNECTION, "", "AzureWebJobsStorage__accountName", "acct",
                "TRIBUTARY_SCHEDULE_TICK", "0 */5 * * * *", "TRIBUTARY_ALERT_WEBHOOK_URL", "https://hooks.example/x",
                "TRIBUTARY_HISTORY_RETENTION_DAYS", "30", "TRIBUTARY_DEFINITION_SETTINGS", "CRM_*",
                "TRIBUTARY_READABLE_CONTAINERS", "landing"));
        assertEquals(List.of(URI.create("https://acct.blob.core.windows.net"), Duration.ofMinutes(5), true, 30),
                List.of(settings.storage().blobEndpoint(), settings.scheduleTick(),
                        settings.alerts() instanceof WebhookSender, settings.historyDays()));
        assertEquals(List.of(true, false, true, false), List.of(
                settings.access().settings().refusal("CRM_API_URL").isEmpty(),
                settings.access().settings().refusal("ORDERS_DB_URL").isEmpty(),
                settings.access().containers().refusal("landing").isEmpty(),
                settings.access().containers().refusal("reference").isEmpty()));
    }

    @Test
    void everyBadStorageAlertHistoryAndScheduleSettingIsReportedAtOnceWithWhatToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> readExactly(Map.of(
                "AzureWebJobsStorage__blobServiceUri", "https://acct.blob.core.windows.net",
                "TRIBUTARY_SCHEDULE_TICK", "every minute",
                "TRIBUTARY_ALERT_WEBHOOK_URL", "https://hooks.example/x", "TRIBUTARY_ALERT_ATTEMPTS", "many",
                "TRIBUTARY_HISTORY_RETENTION_DAYS", "0")));
        assertEquals("4 app settings are not valid: "
                + "the identity-based storage settings are incomplete: set AzureWebJobsStorage__queueServiceUri too "
                + "(or AzureWebJobsStorage__accountName instead of the URIs); "
                + "the app setting TRIBUTARY_SCHEDULE_TICK must be an NCRONTAB schedule with seconds, such as "
                + "0 * * * * * (every minute); it is 'every minute': 'every minute' has 2 fields; NCRONTAB needs six, "
                + "seconds first: {second} {minute} {hour} {day} {month} {day-of-week}, e.g. \"0 */5 * * * *\"; "
                + "the app setting TRIBUTARY_ALERT_ATTEMPTS must be a whole number of at least 1, such as 4; it is "
                + "'many'; "
                + "the app setting TRIBUTARY_HISTORY_RETENTION_DAYS must be a whole number of days, at least 1, such "
                + "as 90; it is '0'", e.getMessage());
    }

    @Test
    void aMissingStorageAccountIsNamedWithWhatToSet() {
        assertEquals("no storage account configured: set AzureWebJobsStorage to a connection string "
                + "(\"UseDevelopmentStorage=true\" for Azurite), or, for managed identity, "
                + "AzureWebJobsStorage__blobServiceUri, AzureWebJobsStorage__queueServiceUri and "
                + "AzureWebJobsStorage__tableServiceUri (or AzureWebJobsStorage__accountName)",
                assertThrows(IllegalStateException.class, () -> readExactly(Map.of())).getMessage());
    }

    @Test
    void withoutAWorkspaceNothingIsRegisteredInAzureMl() {
        assertEquals(Optional.empty(), read(Map.of()).azureMl());
        assertEquals(Optional.empty(), read(Map.of(AzureMlTarget.WORKSPACE_SETTING, " ")).azureMl());
    }

    @Test
    void theAzureMlWorkspaceAndEndpointAreReadIntoTheirTypes() {
        String id = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg/providers/"
                + "Microsoft.MachineLearningServices/workspaces/ml-prod";
        AzureMlTarget target = read(Map.of(AzureMlTarget.WORKSPACE_SETTING, id,
                AzureMlTarget.ENDPOINT_SETTING, "https://management.usgovcloudapi.net/")).azureMl().orElseThrow();
        assertEquals(List.of(id, URI.create("https://management.usgovcloudapi.net")),
                List.of(target.workspace().resourceId(), target.endpoint()));
        assertEquals(URI.create("https://management.azure.com"),
                read(Map.of(AzureMlTarget.WORKSPACE_SETTING, id)).azureMl().orElseThrow().endpoint());
    }

    @Test
    void aBadAzureMlWorkspaceIsNamedWithWhatToSet() {
        assertEquals("the app setting TRIBUTARY_AZUREML_WORKSPACE_ID must be an Azure Machine Learning workspace's "
                + "resource id: 'ml-prod' is not a workspace's resource id, which looks like /subscriptions/"
                + "{subscription}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{name} "
                + "(az ml workspace show -g GROUP -n NAME --query id -o tsv prints it)",
                assertThrows(IllegalStateException.class, () -> read(Map.of(AzureMlTarget.WORKSPACE_SETTING,
                        "ml-prod"))).getMessage());
    }
}
