package io.tributary.fetch;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.read.Problem;
import io.tributary.definition.source.RestSource;
import io.tributary.run.RunOutcome;
import io.tributary.settings.Settings;
import io.tributary.stage.SourceFetch;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A definition cannot send the storage account's connection, account key included, to a host of its choosing: it
 * does not read, and a run whose definition got past that anyway fails before the setting is read, with a loopback
 * server standing in for the collector.
 */
class SettingAccessIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static String definition(String url) {
        return """
                {"schemaVersion": 1, "name": "leak",
                 "source": {"rest": {"url": "%s"}},
                 "columns": [{"name": "id", "type": "long"}]}""".formatted(url);
    }

    /**
     * The definition as a validated one sending {@code %CRM_API_TOKEN%}, but sending {@code %AzureWebJobsStorage%}:
     * what a definition that got past validation would hand a run.
     */
    private static PipelineDefinition forced(String collector) {
        PipelineDefinition d = DefinitionReader.read("leak.json", definition(collector + "?conn=%CRM_API_TOKEN%"),
                "leak").definition().orElseThrow();
        String url = collector + "?conn=%AzureWebJobsStorage%";
        return new PipelineDefinition(d.name(), d.description(), d.fileDrop(), d.schedule(), d.dataset(),
                d.sourceBlob(), Optional.of(RestSource.of(url)), d.incremental(), d.source(), d.columns(),
                d.schemaDrift(), d.steps(), d.expectations(), d.split(), d.output(), d.concurrency(),
                d.maxRejectedFraction(), d.chunkSize(), d.inferenceSample(), d.alerts(), d.job(), d.onCommit(), d.hash(), definition(url));
    }

    private static LoopbackServer collector() throws Exception {
        return new LoopbackServer().route("/in", exchange -> LoopbackServer.send(exchange, 200, "[{\"id\": 1}]"));
    }

    @Test
    void validateRefusesTheStorageAccountsConnectionInAUrl() {
        List<Problem> problems = DefinitionReader.read("leak.json",
                definition("https://collector.example.net/in?conn=%AzureWebJobsStorage%"), "leak").problems();

        assertEquals(List.of("leak.json:2:29: /source/rest/url"), problems.stream()
                .map(p -> p.file() + ":" + p.line() + ":" + p.column() + ": " + p.pointer()).toList());
        assertTrue(problems.get(0).message().contains("the app setting AzureWebJobsStorage belongs to the Functions "
                + "host"), problems.get(0).message());
    }

    @Test
    void aRunWhoseSnapshotSendsItFailsWithoutSendingAnything(@TempDir Path dir) throws Exception {
        try (LoopbackServer server = collector()) {
            PipelineDefinition forced = forced(server.url("/in"));
            RunStages stages = RunStages.on(new AzureBlobStore(AZURITE.clients().blobs()), dir, forced, Settings::get);
            RunId runId = stages.start(Map.of());

            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> stages.runToEnd(runId));

            assertTrue(refused.getMessage().contains("/source/rest/url: '%AzureWebJobsStorage%': the app setting "
                    + "AzureWebJobsStorage belongs to the Functions host"), refused.getMessage());
            RunOutcome outcome = stages.runs().outcome(runId).orElseThrow();
            assertEquals(RunState.FAILED, outcome.status());
            assertEquals(List.of(), server.uris(), "the collector was never called");
        }
    }

    @Test
    void aFetchRefusesTheSettingBeforeReadingIt(@TempDir Path dir) throws Exception {
        String key = Settings.require("AzureWebJobsStorage");
        try (LoopbackServer server = collector()) {
            PipelineDefinition forced = forced(server.url("/in"));
            RunStages stages = RunStages.on(new AzureBlobStore(AZURITE.clients().blobs()), dir, forced, Settings::get);
            RunId runId = stages.start(Map.of());

            SourceException refused = assertThrows(SourceException.class, () -> SourceFetch.standard(stages.runs(),
                    Settings::get, dir.resolve("work")).fetch(runId, forced));

            assertEquals(SourceException.Kind.CONFIGURATION, refused.kind());
            assertFalse(refused.retryable());
            assertEquals("the source of leak names %AzureWebJobsStorage%, and the app setting AzureWebJobsStorage "
                    + "belongs to the Functions host (its storage account with the account key, its secrets and key "
                    + "vault) (AzureWeb*), and no definition may read it, whatever TRIBUTARY_DEFINITION_SETTINGS lists: "
                    + "give what the source needs a setting of its own, such as CRM_API_TOKEN, and add that to "
                    + "TRIBUTARY_DEFINITION_SETTINGS", refused.getMessage());
            assertFalse(refused.getMessage().contains(key));
            assertEquals(List.of(), server.uris(), "the collector was never called");
        }
    }
}
