package io.tributary.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.access.ContainerAccess;
import io.tributary.definition.access.SettingAccess;
import io.tributary.definition.read.Problem;
import io.tributary.functions.AppResources;
import io.tributary.run.RunLayout;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A definition names only the app settings the operator opened and reads only the containers the operator opened;
 * the settings and containers of the Functions host, of Azure and of Tributary itself no list can open. The tests'
 * JVM opens the settings and containers the test definitions use (pom.xml), as a deployment opens its own.
 */
class DefinitionAccessTest {

    private static String rest(String url, String header) {
        return """
                {"schemaVersion": 1, "name": "leak",
                 "source": {"rest": {"url": "%s",
                                     "headers": {"Authorization": "%s"}}}}""".formatted(url, header);
    }

    private static String lookup(String from) {
        return """
                {"schemaVersion": 1, "name": "joined",
                 "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "string"}],
                 "steps": [{"op": "lookup", "from": "%s", "on": ["id"],
                            "columns": {"secret": "string"}}]}""".formatted(from);
    }

    private static List<String> problems(DefinitionResult result) {
        return result.problems().stream().map(Problem::format).toList();
    }

    private static DefinitionAccess access(String settings, String containers) {
        return new DefinitionAccess(SettingAccess.of(settings), ContainerAccess.of(containers));
    }

    @Test
    void theStorageAccountsConnectionCannotBeSentAnywhere() {
        DefinitionResult result = DefinitionReader.read("leak.json",
                rest("https://collector.example.net/in?conn=%AzureWebJobsStorage%", "Bearer %CRM_API_TOKEN%"), "leak");

        assertEquals(List.of("leak.json:2:29: /source/rest/url: '%AzureWebJobsStorage%': the app setting "
                + "AzureWebJobsStorage belongs to the Functions host (its storage account with the account key, its "
                + "secrets and key vault) (AzureWeb*), and no definition may read it, whatever "
                + "TRIBUTARY_DEFINITION_SETTINGS lists: give what the source needs a setting of its own, such as "
                + "CRM_API_TOKEN, and add that to TRIBUTARY_DEFINITION_SETTINGS"), problems(result));
        assertTrue(result.definition().isEmpty());
    }

    @Test
    void aSettingTheAllowListDoesNotNameIsRefusedSayingHowToOpenIt() {
        DefinitionResult result = DefinitionReader.read("leak.json",
                rest("%CRM_API_URL%/contacts", "Bearer %PAYROLL_API_KEY%"), "leak");

        assertEquals(List.of("leak.json:3:51: /source/rest/headers/Authorization: '%PAYROLL_API_KEY%': the app "
                + "setting PAYROLL_API_KEY is not one definitions may use (it lists: CRM_*, ORDERS_*, DB_*, API_*, "
                + "SALES_*, PRODUCTS_SCHEDULE, UNSET_SCHEDULE): add PAYROLL_API_KEY to the app setting "
                + "TRIBUTARY_DEFINITION_SETTINGS (names or prefixes such as CRM_*, comma-separated; in "
                + "local.settings.json Values locally, the function app's settings in Azure)"), problems(result));
    }

    @Test
    void unsetTheListOpensNoSetting() {
        DefinitionResult result = DefinitionReader.read("leak.json", rest("%CRM_API_URL%/contacts", "none"), "leak",
                DefinitionCheck.NONE, access(null, null));

        assertEquals(1, result.problems().size(), problems(result).toString());
        assertTrue(result.problems().get(0).message().contains("the app setting CRM_API_URL is not one definitions "
                + "may use (TRIBUTARY_DEFINITION_SETTINGS is not set, so definitions may use none): add CRM_API_URL "
                + "to the app setting TRIBUTARY_DEFINITION_SETTINGS"), problems(result).toString());
    }

    @Test
    void aPrefixOpensTheNamesThatStartWithIt() {
        SettingAccess access = SettingAccess.of(" CRM_* , ORDERS_DB_URL");

        assertEquals(Optional.empty(), access.refusal("CRM_API_TOKEN"));
        assertEquals(Optional.empty(), access.refusal("CRM_"));
        assertEquals(Optional.empty(), access.refusal("ORDERS_DB_URL"));
        assertTrue(access.refusal("ORDERS_DB_URL2").isPresent(), "a name without * is the whole name");
        assertTrue(access.refusal("CRMX_TOKEN").isPresent());
        assertTrue(access.refusal("crm_api_token").isPresent(), "names are matched as written");
    }

    @Test
    void theDenyListBeatsEveryAllowListEvenAStar() {
        SettingAccess access = SettingAccess.of("*,AzureWebJobsStorage,IDENTITY_*,MSI_SECRET");

        assertEquals(Optional.empty(), access.refusal("ANY_SETTING_OF_ITS_OWN"), "* opens the others");
        for (String host : List.of("AzureWebJobsStorage", "azurewebjobsstorage", "AzureWebJobsSecretStorageType",
                "AzureWebEncryptionKey", "AzureFunctionsJobHost__extensions__queues__maxDequeueCount",
                "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_AUTH_ENCRYPTION_KEY",
                "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPINSIGHTS_INSTRUMENTATIONKEY", "IDENTITY_ENDPOINT",
                "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID",
                "CONTAINER_ENCRYPTION_KEY", "SCM_DO_BUILD_DURING_DEPLOYMENT", "TRIBUTARY_ALERT_WEBHOOK_URL",
                "TRIBUTARY_DEFINITION_SETTINGS", "ServiceBus__clientSecret", "ConnectionStrings:Crm")) {
            assertTrue(access.refusal(host).isPresent(), host + " must stay closed");
        }
        assertTrue(access.refusal("MSI_SECRET").get().contains("no definition may read it, whatever "
                + "TRIBUTARY_DEFINITION_SETTINGS lists"), access.refusal("MSI_SECRET").get());
    }

    @Test
    void referencesCountWhereRunsResolveThemAndNowhereElse() {
        String text = """
                {"schemaVersion": 1, "name": "orders",
                 "schedule": {"cron": "%WEBSITE_SITE_NAME%"},
                 "source": {"sql": {"url": "%ORDERS_DB_URL%", "user": "%AZURE_CLIENT_ID%", "password": "%MSI_SECRET%",
                                    "query": "SELECT id FROM orders"},
                            "timestampFormat": "%Y-%m-%dT%H:%M:%S"},
                 "columns": [{"name": "id", "type": "string"}]}""";

        List<String> pointers = DefinitionReader.read("orders.json", text, "orders").problems().stream()
                .map(Problem::pointer).toList();

        assertEquals(List.of("/schedule/cron", "/source/sql/user", "/source/sql/password"), pointers);
    }

    @Test
    void aLookupCannotReadTheHostsSecretsOrTributarysRuns() {
        DefinitionResult secrets = DefinitionReader.read("joined.json", lookup("azure-webjobs-secrets/host.json"),
                "joined");
        DefinitionResult runs = DefinitionReader.read("joined.json",
                lookup("tributary-runs/20261122T073242Z-a3f6fba34e/definition.json"), "joined");

        assertEquals(List.of("joined.json:4:37: /steps/0/from: 'azure-webjobs-secrets/host.json': the container "
                + "azure-webjobs-secrets belongs to the Functions host (its keys, secrets and leases) (azure-webjobs*), "
                + "and no definition may read it, whatever TRIBUTARY_READABLE_CONTAINERS lists: keep the data in a "
                + "container of its own, such as reference, and add that to TRIBUTARY_READABLE_CONTAINERS"),
                problems(secrets));
        assertEquals(List.of("/steps/0/from"), runs.problems().stream().map(Problem::pointer).toList());
        assertTrue(runs.problems().get(0).message().contains("the container tributary-runs belongs to Tributary's "
                + "own runs and state"), problems(runs).toString());
    }

    @Test
    void tributarysOwnContainersAndTheHostsStayClosedWhateverTheListSays() {
        ContainerAccess access = ContainerAccess.of("*," + String.join(",", AppResources.CONTAINERS));

        for (String own : List.of(RunLayout.RUNS, RunLayout.STATE, AppResources.DEPLOYMENT_CONTAINER,
                "app-package-tributary-1a2b3c4", "azure-webjobs-hosts", "azure-webjobs-secrets", "scm-releases",
                "function-releases")) {
            assertTrue(access.refusal(own).isPresent(), own + " must stay closed");
        }
        assertEquals(Optional.empty(), access.refusal(RunLayout.TRAINING));
        assertEquals(Optional.empty(), access.refusal("erp-exports"), "* opens the others");
    }

    @Test
    void containersOutsideTheListAreRefusedAtEveryPlaceADefinitionReads() {
        String text = """
                {"schemaVersion": 1, "name": "stock",
                 "trigger": {"type": "dataset", "pipeline": "orders"},
                 "source": {"format": "parquet"},
                 "steps": [{"op": "lookup", "from": "erp-exports/stock.csv", "on": ["sku"],
                            "columns": {"stock": "long"}}]}""";

        DefinitionResult read = DefinitionReader.read("stock.json", text, "stock", DefinitionCheck.NONE,
                access(null, "reference"));

        assertEquals(List.of("/trigger/pipeline", "/steps/0/from"), read.problems().stream().map(Problem::pointer)
                .toList());
        assertTrue(read.problems().get(0).message().startsWith("a dataset trigger reads the upstream's datasets in "
                + "the container training, but the container training is not one definitions may read (it lists: "
                + "reference): add training to the app setting TRIBUTARY_READABLE_CONTAINERS"),
                read.problems().get(0).message());
        assertFalse(DefinitionReader.read("stock.json", text, "stock", DefinitionCheck.NONE,
                access(null, null)).problems().stream().anyMatch(p -> p.pointer().startsWith("/trigger")),
                "unset, the list opens reference, landing and training");
    }

    @Test
    void aSourceBlobInAClosedContainerIsRefused() {
        String text = """
                {"schemaVersion": 1, "name": "products", "schedule": {"cron": "0 0 6 * * *"},
                 "source": {"format": "csv", "blob": "tributary-state/schedules/orders.json"}}""";

        assertEquals(List.of("/source/blob"), DefinitionReader.read("products.json", text, "products").problems()
                .stream().map(Problem::pointer).toList());
    }
}
