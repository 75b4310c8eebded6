package io.tributary.infra;

import io.tributary.azureml.AzureMlDataAssets;
import io.tributary.azureml.AzureMlTarget;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.run.RunOutcome;
import io.tributary.functions.AppResources;
import io.tributary.run.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * infra/ (Bicep, which cannot be compiled here) read as text and held to what the app needs: the containers, queues
 * and tables of {@link AppResources}, its settings, least-privilege roles, current API versions, no secrets.
 */
class InfraTest {

    private static final Path ROOT = Path.of(System.getProperty("tributary.root", "."));
    private static final Path INFRA = ROOT.resolve("infra");

    /** The API version each resource type must use: current ones, checked against Microsoft's template reference. */
    private static final Map<String, String> API_VERSIONS = Map.ofEntries(
            Map.entry("Microsoft.Web/serverfarms", "2024-04-01"),
            Map.entry("Microsoft.Web/sites", "2024-04-01"),
            Map.entry("Microsoft.Web/sites/basicPublishingCredentialsPolicies", "2024-04-01"),
            Map.entry("Microsoft.Storage/storageAccounts", "2023-05-01"),
            Map.entry("Microsoft.Storage/storageAccounts/blobServices", "2023-05-01"),
            Map.entry("Microsoft.Storage/storageAccounts/blobServices/containers", "2023-05-01"),
            Map.entry("Microsoft.Storage/storageAccounts/queueServices", "2023-05-01"),
            Map.entry("Microsoft.Storage/storageAccounts/queueServices/queues", "2023-05-01"),
            Map.entry("Microsoft.Storage/storageAccounts/tableServices", "2023-05-01"),
            Map.entry("Microsoft.Storage/storageAccounts/tableServices/tables", "2023-05-01"),
            Map.entry("Microsoft.ManagedIdentity/userAssignedIdentities", "2023-01-31"),
            Map.entry("Microsoft.Authorization/roleAssignments", "2022-04-01"),
            Map.entry("Microsoft.OperationalInsights/workspaces", "2023-09-01"),
            Map.entry("Microsoft.Insights/components", "2020-02-02"),
            Map.entry("Microsoft.Insights/actionGroups", "2023-01-01"),
            Map.entry("Microsoft.Insights/scheduledQueryRules", "2023-03-15-preview"),
            Map.entry("Microsoft.EventGrid/systemTopics", "2025-02-15"),
            Map.entry("Microsoft.EventGrid/systemTopics/eventSubscriptions", "2025-02-15"),
            Map.entry("Microsoft.KeyVault/vaults", "2023-07-01"),
            Map.entry("Microsoft.KeyVault/vaults/secrets", "2023-07-01"),
            Map.entry("Microsoft.MachineLearningServices/workspaces", "2025-09-01"));

    /** The built-in roles the app's identity gets, and nothing broader. */
    private static final Map<String, String> ROLES = Map.of(
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner",
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor",
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor",
            "3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher",
            "4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User",
            "f6c7c914-8db3-469d-8ca1-694a8f32e121", AzureMlDataAssets.ROLE);

    private static final Pattern RESOURCE = Pattern.compile("^\\s*resource\\s+\\w+\\s+'([^'@]+)@([^']+)'");
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SETTING_NAME = Pattern.compile("^\\s*name:\\s*'([A-Za-z_][A-Za-z0-9_]*)'\\s*$");

    @Test
    void createsExactlyTheContainersQueuesAndTablesTheAppUses() {
        String main = read("main.bicep");
        assertEquals(AppResources.CONTAINERS, arrayVar(main, "containers"));
        assertEquals(List.of("landing", "tributary-runs", "training", "archive", "tributary-state"),
                AppResources.CONTAINERS);
        assertTrue(main.contains("var deploymentContainer = '" + AppResources.DEPLOYMENT_CONTAINER + "'"),
                "main.bicep names the deployment container " + AppResources.DEPLOYMENT_CONTAINER);
        assertTrue(main.contains("containers: concat(containers, [deploymentContainer])"),
                "the storage module gets the app's containers and the deployment container");
        assertEquals(AppResources.QUEUES, arrayVar(main, "queues"));
        assertEquals(List.of("pipeline-extract", "pipeline-extract-poison", "pipeline-job", "pipeline-job-poison",
                "pipeline-transform", "pipeline-transform-poison", "pipeline-combine", "pipeline-combine-poison", "pipeline-store",
                "pipeline-store-poison", "webjobs-blobtrigger-poison"), AppResources.QUEUES);
        assertEquals(AppResources.TABLES, arrayVar(main, "tables"));
        assertEquals(List.of("TributaryRuns", "TributaryRunStages"), AppResources.TABLES);
        assertTrue(main.contains("var landingContainer = '" + AppResources.CONTAINERS.get(0) + "'"));

        String storage = read("modules/storage.bicep");
        assertEquals(List.of("for container in containers", "for queue in queues", "for table in tables"),
                Stream.of("for container in containers", "for queue in queues", "for table in tables")
                        .filter(storage::contains).toList());
    }

    @Test
    void setsEverySettingTheAppNeedsInAzure() {
        List<String> settings = appSettings();
        List<String> missing = new ArrayList<>(AppResources.REQUIRED_SETTINGS);
        missing.removeAll(settings);
        assertEquals(List.of(), missing, "functionapp.bicep must set these app settings");
        assertTrue(settings.containsAll(List.of("APPLICATIONINSIGHTS_CONNECTION_STRING",
                "APPLICATIONINSIGHTS_AUTHENTICATION_STRING")), "telemetry settings: " + settings);
        assertEquals(settings.size(), new LinkedHashSet<>(settings).size(), "a setting set twice: " + settings);

        String app = read("modules/functionapp.bicep");
        assertTrue(app.contains("'AzureWebJobsStorage__credential'\n    value: 'managedidentity'"),
                "the storage connection uses the managed identity");
        assertTrue(app.contains("'ClientId=${identityClientId};Authorization=AAD'"), "telemetry with Entra ID");
        // The webhook URL is a secret: only ever a Key Vault reference.
        assertTrue(app.contains("name: '" + AppResources.ALERT_WEBHOOK_URL
                + "'\n    value: '@Microsoft.KeyVault(SecretUri=${alertWebhookSecretUri})'"));
        // Flex Consumption refuses these settings: the runtime is functionAppConfig.runtime.
        assertEquals(List.of(), settings.stream().filter(s -> s.startsWith("FUNCTIONS_")
                || s.equals("WEBSITE_RUN_FROM_PACKAGE") || s.startsWith("WEBSITE_CONTENT")).toList());
    }

    @Test
    void everyTributarySettingInInfraIsOneTheSettingsPageDocuments() {
        String settingsPage = readRoot("docs/settings.md");
        List<String> undocumented = appSettings().stream().filter(s -> s.startsWith("TRIBUTARY_"))
                .filter(s -> !settingsPage.contains("| `" + s + "` |")).toList();
        assertEquals(List.of(), undocumented);
    }

    @Test
    void theFunctionAppIsFlexConsumptionOnJava17() {
        String app = read("modules/functionapp.bicep");
        for (String expected : List.of("name: 'FC1'", "tier: 'FlexConsumption'", "reserved: true",
                "kind: 'functionapp,linux'", "name: 'java'", "version: '17'", "type: 'blobContainer'",
                "type: 'UserAssignedIdentity'", "instanceMemoryMB: instanceMemoryMB",
                "maximumInstanceCount: maximumInstanceCount", "httpsOnly: true", "type: 'UserAssigned'")) {
            assertTrue(app.contains(expected), "functionapp.bicep lacks " + expected);
        }
        String storage = read("modules/storage.bicep");
        for (String expected : List.of("kind: 'StorageV2'", "supportsHttpsTrafficOnly: true",
                "minimumTlsVersion: 'TLS1_2'", "allowBlobPublicAccess: false", "allowSharedKeyAccess: false",
                "publicAccess: 'None'")) {
            assertTrue(storage.contains(expected), "storage.bicep lacks " + expected);
        }
    }

    @Test
    void fileDropsReachTheFileDropFunctionThroughEventGrid() {
        String grid = read("modules/eventgrid.bicep");
        String fileDrop = readRoot("functions/src/main/java/io/tributary/functions/FileDropFunction.java");
        Matcher name = Pattern.compile("@FunctionName\\(\"(\\w+)\"\\)").matcher(fileDrop);
        assertTrue(name.find(), "FileDropFunction names its function");
        assertEquals("fileDrop", name.group(1));
        assertTrue(grid.contains("/runtime/webhooks/blobs?functionName=Host.Functions." + name.group(1) + "&code="),
                "the subscription calls the blobs extension's webhook for " + name.group(1));
        assertTrue(grid.contains(".systemKeys.blobs_extension}"));
        assertTrue(grid.contains("'Microsoft.Storage.BlobCreated'"));
        assertTrue(grid.contains("subjectBeginsWith: '/blobServices/default/containers/${landingContainer}/'"));
        assertTrue(grid.contains("topicType: 'Microsoft.Storage.StorageAccounts'"));
    }

    @Test
    void grantsExactlyTheRolesTheAppNeeds() {
        Map<String, Integer> granted = new TreeMap<>();
        for (Path file : bicepFiles()) {
            Matcher m = GUID.matcher(readPath(file));
            while (m.find()) {
                granted.merge(m.group().toLowerCase(), 1, Integer::sum);
            }
        }
        assertEquals(new TreeSet<>(ROLES.keySet()), granted.keySet(), "role definition ids in infra/");
        String roles = read("modules/roles.bicep");
        assertEquals(4, count(roles, "'Microsoft.Authorization/roleAssignments@"));
        assertEquals(4, count(roles, "principalType: 'ServicePrincipal'"));
        assertEquals(3, count(roles, "  scope: account\n"));
        assertEquals(1, count(roles, "  scope: appInsights\n"));
        String vault = read("modules/keyvault-access.bicep");
        assertEquals(1, count(vault, "  scope: secret\n"), "the Key Vault role is scoped to the one secret");
        String azureMl = read("modules/azureml-access.bicep");
        assertEquals(1, count(azureMl, "  scope: workspace\n"), "the Azure ML role is scoped to the one workspace");
        assertEquals(1, count(azureMl, "principalType: 'ServicePrincipal'"));
    }

    @Test
    void anAzureMlWorkspaceIsOptionalAndGivesTheAppItsSettingsAndOneRole() {
        String main = read("main.bicep");
        assertTrue(main.contains("param azureMlWorkspaceId string = ''"), "no workspace unless one is given");
        assertTrue(main.contains("module azureMlAccess 'modules/azureml-access.bicep' = if (!empty(azureMlWorkspaceId)) {"
                + "\n  name: 'azureml-access'\n  scope: resourceGroup(azureMlWorkspace[2], azureMlWorkspace[4])\n"),
                "the role is granted in the workspace's own resource group, and only with a workspace");
        assertTrue(main.contains("workspaceName: azureMlWorkspace[8]"));
        assertTrue(main.contains("azureMlWorkspaceId: azureMlWorkspaceId\n"), "the app gets the workspace");
        // Items 2, 4 and 8 of an id split at '/' are its subscription, group and name: the placeholder too.
        String placeholder = "/subscriptions/${subscription().subscriptionId}/resourceGroups/${resourceGroup().name}"
                + "/providers/Microsoft.MachineLearningServices/workspaces/none";
        assertTrue(main.contains("var azureMlPlaceholder = '" + placeholder + "'"));
        List<String> parts = List.of(placeholder.split("/"));
        assertEquals(List.of("${subscription().subscriptionId}", "${resourceGroup().name}", "none"),
                List.of(parts.get(2), parts.get(4), parts.get(8)));
        String app = read("modules/functionapp.bicep");
        assertTrue(app.contains("var azureMlSettings = empty(azureMlWorkspaceId) ? [] : [\n  {\n    name: '"
                + AzureMlTarget.WORKSPACE_SETTING + "'\n    value: azureMlWorkspaceId\n  }\n  {\n    name: '"
                + AzureMlTarget.ENDPOINT_SETTING + "'\n    value: environment().resourceManager\n  }\n]"),
                "the settings the app reads the workspace from, only with a workspace");
        assertTrue(app.contains("appSettings: concat(settings, alertSettings, azureMlSettings, jobSettings, extraSettings)"));
        assertTrue(read("modules/azureml-access.bicep").contains("resource workspace "
                + "'Microsoft.MachineLearningServices/workspaces@2025-09-01' existing = {"), "the workspace is not created");
    }

    @Test
    void theJobWorkspacesAreOptionalAndGiveTheAppTheSettingsItReads() {
        String main = read("main.bicep");
        assertTrue(main.contains("param databricksWorkspaceUrl string = ''"), "no Databricks workspace unless given");
        assertTrue(main.contains("param synapseWorkspaceName string = ''"), "no Synapse workspace unless given");
        assertTrue(main.contains("    databricksWorkspaceUrl: databricksWorkspaceUrl\n    synapseWorkspaceName: "
                + "synapseWorkspaceName\n"), "the app gets both");
        String app = read("modules/functionapp.bicep");
        assertTrue(app.contains("var jobSettings = concat(empty(databricksWorkspaceUrl) ? [] : [\n  {\n    name: '"
                + io.tributary.port.JobComputes.SETTINGS.get("databricks") + "'\n    value: databricksWorkspaceUrl\n"),
                "the setting the app reads the Databricks workspace from");
        assertTrue(app.contains("name: '" + io.tributary.port.JobComputes.SETTINGS.get("synapse") + "'\n    value: "
                + "'https://${synapseWorkspaceName}.dev.azuresynapse.net'"), "the Synapse development endpoint");
        assertTrue(read("main.bicepparam").contains("param databricksWorkspaceUrl = ''\nparam synapseWorkspaceName = ''"));
    }

    @Test
    void everyResourceUsesAPinnedCurrentApiVersion() {
        List<String> problems = new ArrayList<>();
        int resources = 0;
        for (Path file : bicepFiles()) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = RESOURCE.matcher(lines.get(i));
                if (!m.find()) {
                    continue;
                }
                resources++;
                String expected = API_VERSIONS.get(m.group(1));
                if (expected == null) {
                    problems.add(where(file, i) + ": " + m.group(1) + " is not in InfraTest's table of API versions;"
                            + " add it with its current version");
                } else if (!expected.equals(m.group(2))) {
                    problems.add(where(file, i) + ": " + m.group(1) + "@" + m.group(2) + " should use " + expected);
                }
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(33, resources, "resource declarations in infra/");
    }

    @Test
    void infraHoldsNoKeysOrSecrets() {
        List<String> problems = new ArrayList<>();
        List<String> forbidden = List.of("accountkey=", "sharedaccesssignature", "sharedaccesskey", "sig=",
                "instrumentationkey=", "defaultendpointsprotocol", "listaccountsas(", "listservicesas(",
                "listconnectionstrings(", "listsecrets(", "password", "secret=", "bearer ");
        List<Path> files = new ArrayList<>(bicepFiles());
        files.add(INFRA.resolve("main.bicepparam"));
        for (Path file : files) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).toLowerCase();
                for (String word : forbidden) {
                    if (line.contains(word)) {
                        problems.add(where(file, i) + ": '" + word + "'");
                    }
                }
                if (line.contains("listkeys(") && !(file.endsWith("eventgrid.bicep")
                        && line.contains("/host/default") && line.contains(".systemkeys.blobs_extension}"))) {
                    problems.add(where(file, i) + ": listKeys( other than the Event Grid webhook's blobs_extension key");
                }
                Matcher guid = GUID.matcher(line);
                while (guid.find()) {
                    if (!ROLES.containsKey(guid.group())) {
                        problems.add(where(file, i) + ": a GUID that is no built-in role id: " + guid.group());
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(1, bicepFiles().stream().mapToInt(f -> count(readPath(f).toLowerCase(), "listkeys(")).sum(),
                "exactly one listKeys, for the Event Grid webhook");
    }

    @Test
    void noOutputCarriesAConnectionString() {
        // Deployment outputs are kept in the deployment history, readable by anyone who may read the group.
        List<String> leaks = new java.util.ArrayList<>();
        for (Path file : bicepFiles()) {
            String[] lines = readPath(file).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith("output ") && lines[i].toLowerCase().contains("connectionstring")) {
                    leaks.add(file.getFileName() + ":" + (i + 1) + ": " + lines[i]);
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void theAlertsFindWhatTheAppLogs() {
        String alerts = read("modules/alerts.bicep");
        String line = RunOutcome.failed(Instant.EPOCH, Stage.TRANSFORM, 2, "boom")
                .failedLogLine("orders", RunId.parse("20261122T073242Z-a3f6fba34e"));
        assertEquals("run failed: 20261122T073242Z-a3f6fba34e of pipeline orders in transform chunk 2: boom", line);
        assertTrue(alerts.contains("| where message contains \"" + RunOutcome.FAILED_LOG_MARKER + "\""));
        assertTrue(alerts.contains("| parse message with * \"" + RunOutcome.FAILED_LOG_MARKER
                + "\" runId \" of pipeline \" pipeline \" in \" place \": \" error"));
        String poisonWatch = readRoot("functions/src/main/java/io/tributary/functions/PoisonWatchFunction.java");
        assertTrue(poisonWatch.contains("\"poison queues: \" + look.poisoned() + \" messages, \""));
        assertTrue(alerts.contains("| parse message with * \"poison queues: \" poisoned:long \" messages\" *"));
        // Azure Monitor aggregates a log alert's measure by time itself: the query keeps timestamp and aggregates nothing.
        assertTrue(alerts.contains("| project timestamp, poisoned\n"), "the poison query projects timestamp");
        assertEquals(0, count(alerts, "summarize"), "a log alert's query leaves aggregation to the rule");
        assertEquals(2, count(alerts, "'Microsoft.Insights/scheduledQueryRules@"));
        assertEquals(List.of("emails", "webhooks"), Stream.of("emails", "webhooks")
                .filter(p -> alerts.contains("param " + p + " array")).toList());
    }

    @Test
    void theParametersFileSetsOnlyParametersMainDeclares() {
        Set<String> declared = new TreeSet<>();
        Matcher d = Pattern.compile("(?m)^param\\s+(\\w+)\\s").matcher(read("main.bicep"));
        while (d.find()) {
            declared.add(d.group(1));
        }
        Set<String> set = new TreeSet<>();
        Matcher s = Pattern.compile("(?m)^param\\s+(\\w+)\\s*=").matcher(read("main.bicepparam"));
        while (s.find()) {
            set.add(s.group(1));
        }
        // location follows the resource group's; every other parameter is set, so the file shows them all.
        declared.remove("location");
        assertEquals(declared, set, "main.bicepparam sets every parameter of main.bicep, and only those");
        List<String> missingModules = new ArrayList<>();
        Matcher module = Pattern.compile("(?m)^module\\s+\\w+\\s+'([^']+)'").matcher(read("main.bicep"));
        while (module.find()) {
            if (!Files.exists(INFRA.resolve(module.group(1)))) {
                missingModules.add(module.group(1));
            }
        }
        assertEquals(List.of(), missingModules);
        assertEquals(9, bicepFiles().size() - 1, "modules in infra/modules");
    }

    /** The names in {@code var NAME = [ 'a' 'b' ]}, in order. */
    private static List<String> arrayVar(String bicep, String name) {
        Matcher m = Pattern.compile("(?s)\\nvar " + name + " = \\[(.*?)\\n]").matcher(bicep);
        assertTrue(m.find(), "main.bicep declares var " + name);
        List<String> values = new ArrayList<>();
        Matcher item = Pattern.compile("'([^']*)'").matcher(m.group(1));
        while (item.find()) {
            values.add(item.group(1));
        }
        return values;
    }

    /** The names of the app settings functionapp.bicep sets: its {@code settings} and {@code alertSettings}. */
    private static List<String> appSettings() {
        String app = read("modules/functionapp.bicep");
        int from = app.indexOf("var settings = [");
        int to = app.indexOf("resource plan ");
        assertTrue(from >= 0 && to > from, "functionapp.bicep lists its app settings before the plan");
        List<String> names = new ArrayList<>();
        for (String line : app.substring(from, to).split("\n")) {
            Matcher m = SETTING_NAME.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static List<Path> bicepFiles() {
        try (Stream<Path> files = Files.walk(INFRA)) {
            return files.filter(f -> f.toString().endsWith(".bicep")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String where(Path file, int index) {
        return ROOT.relativize(file) + ":" + (index + 1);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static String read(String infraPath) {
        return readPath(INFRA.resolve(infraPath));
    }

    private static String readRoot(String path) {
        return readPath(ROOT.resolve(path));
    }

    private static String readPath(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
