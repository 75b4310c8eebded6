package io.tributary.stage;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.read.Problem;
import io.tributary.definition.step.LookupStep;
import io.tributary.definition.step.Step;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.ExtractMessage;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.Stage;
import io.tributary.settings.Settings;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lookup cannot join the Functions host's secrets, nor Tributary's own run folders, into a dataset: the definition
 * does not read, and a run whose definition got past that anyway fails before it reads the container, on a real
 * Azurite whose containers hold secret-looking blobs.
 */
class ContainerAccessIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final String SECRET = "s3cr3t-master-key-" + UUID.randomUUID();
    private static final String DEFINITION = """
            {"schemaVersion": 1, "name": "%s", "trigger": {"type": "fileDrop", "path": "%s/*.csv"},
             "source": {"format": "csv"},
             "columns": [{"name": "id", "type": "string"}],
             "steps": [{"op": "lookup", "from": "%s", "on": ["id"], "columns": {"secret": "string"}}]}""";

    static BlobStore blobs;

    @BeforeAll
    static void containers() {
        blobs = new AzureBlobStore(AZURITE.clients().blobs());
        for (String container : List.of("azure-webjobs-secrets", "reference", RunLayout.RUNS, RunLayout.LANDING,
                RunLayout.TRAINING)) {
            AZURITE.clients().blobs().getBlobContainerClient(container).createIfNotExists();
        }
        blobs.put("azure-webjobs-secrets", "keys.csv", ("id,secret\n1," + SECRET + "\n").getBytes(StandardCharsets.UTF_8));
        blobs.put(RunLayout.RUNS, "some-run/keys.csv", ("id,secret\n1," + SECRET + "\n").getBytes(StandardCharsets.UTF_8));
        blobs.put("reference", "keys.csv", "id,secret\n1,public\n".getBytes(StandardCharsets.UTF_8));
    }

    private static String definition(String name, String from) {
        return DEFINITION.formatted(name, name, from);
    }

    /**
     * The definition as a validated one joining {@code reference/keys.csv}, but joining {@code from}: what a
     * definition that got past validation (a setting changed since, a reader's oversight) would hand a run.
     */
    private static PipelineDefinition forced(String name, String from) {
        PipelineDefinition d = DefinitionReader.read(name + ".json", definition(name, "reference/keys.csv"), name)
                .definition().orElseThrow();
        LookupStep allowed = d.lookups().get(0);
        List<Step> steps = List.of(new LookupStep(from, allowed.on(), allowed.columns(), allowed.table()));
        return new PipelineDefinition(d.name(), d.description(), d.fileDrop(), d.schedule(), d.dataset(),
                d.sourceBlob(), d.fetched(), d.incremental(), d.source(), d.columns(), d.schemaDrift(), steps,
                d.expectations(), d.split(), d.output(), d.concurrency(), d.maxRejectedFraction(), d.chunkSize(),
                d.inferenceSample(), d.alerts(), d.job(), d.onCommit(), d.hash(), definition(name, from));
    }

    private static BlobRef drop(String pipeline) {
        String name = pipeline + "/" + UUID.randomUUID() + ".csv";
        blobs.put(RunLayout.LANDING, name, "id\n1\n2\n".getBytes(StandardCharsets.UTF_8));
        return blobs.current(RunLayout.LANDING + "/" + name).orElseThrow();
    }

    /** Every blob of the pipeline's datasets that holds the secret. */
    private static List<String> leaked(String pipeline) {
        return blobs.list(RunLayout.TRAINING, pipeline + "/").stream().filter(name -> new String(
                blobs.read(RunLayout.TRAINING, name).orElseThrow().content(), StandardCharsets.ISO_8859_1)
                .contains(SECRET)).toList();
    }

    @Test
    void validateRefusesALookupOfTheHostsSecretsOrTributarysRuns() {
        for (String from : List.of("azure-webjobs-secrets/keys.csv", RunLayout.RUNS + "/some-run/keys.csv")) {
            List<Problem> problems = DefinitionReader.read("joined.json", definition("joined", from), "joined")
                    .problems();
            assertEquals(List.of("/steps/0/from"), problems.stream().map(Problem::pointer).toList(), from);
            assertEquals(4, problems.get(0).line());
            assertTrue(problems.get(0).message().contains("no definition may read it, whatever "
                    + "TRIBUTARY_READABLE_CONTAINERS lists"), problems.get(0).message());
        }
    }

    @Test
    void aRunThatWouldJoinTheHostsSecretsFailsBeforeReadingThem(@TempDir Path dir) {
        PipelineDefinition forced = forced("joined-secrets", "azure-webjobs-secrets/keys.csv");
        RunStages stages = RunStages.on(blobs, dir, forced, Settings::get);
        RunId runId = stages.start(drop(forced.name()), Map.of());

        stages.extract().handle(stages.queue().last(ExtractMessage.class), Optional.of(forced), true);
        stages.runToEnd(runId);

        RunOutcome outcome = stages.runs().outcome(runId).orElseThrow();
        assertEquals(RunState.FAILED, outcome.status());
        assertEquals(Stage.EXTRACT, outcome.stage());
        assertTrue(outcome.error().contains("the definition may not read the lookup reference "
                + "azure-webjobs-secrets/keys.csv: the container azure-webjobs-secrets belongs to the Functions host"),
                outcome.error());
        assertEquals(List.of(), leaked(forced.name()));
        assertFalse(outcome.error().contains(SECRET));
    }

    @Test
    void aRunWhoseSnapshotReadsTributarysRunsFailsWhenItsDefinitionIsReadAgain(@TempDir Path dir) {
        PipelineDefinition forced = forced("joined-runs", RunLayout.RUNS + "/some-run/keys.csv");
        RunStages stages = RunStages.on(blobs, dir, forced, Settings::get);
        RunId runId = stages.start(drop(forced.name()), Map.of());

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> stages.runToEnd(runId));

        assertTrue(refused.getMessage().contains("/steps/0/from: 'tributary-runs/some-run/keys.csv': the container "
                + "tributary-runs belongs to Tributary's own runs and state"), refused.getMessage());
        RunOutcome outcome = stages.runs().outcome(runId).orElseThrow();
        assertEquals(RunState.FAILED, outcome.status());
        assertEquals(List.of(), leaked(forced.name()));
    }
}
