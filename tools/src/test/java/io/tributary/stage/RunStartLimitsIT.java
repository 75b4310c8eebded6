package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.history.HistoryBackfill;
import io.tributary.history.RunQueries;
import io.tributary.port.BlobStore;
import io.tributary.port.RunIndex;
import io.tributary.port.RunSummary;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.start.ManualRuns;
import io.tributary.start.RunRequests;
import io.tributary.start.RunStarter;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.AzureStageQueue;
import io.tributary.storage.StorageClients;
import io.tributary.storage.TableRunIndex;
import io.tributary.testing.AzuriteExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run start checks the request's size and shape before it writes anything, and a start that fails half-way (here
 * the run history refusing a row too large for it) is undone: nothing of it holds the pipeline, and the history of
 * every pipeline still answers. On a real Azurite with the real table store.
 */
class RunStartLimitsIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    StorageClients clients;
    BlobStore blobs;
    RunStore runs;
    RunStarter starter;
    PipelineDefinition segment;
    PipelineDefinition other;
    RunRequests requests;

    private static PipelineDefinition definition(String name) {
        return DefinitionReader.read(name + ".json", "{\"schemaVersion\": 1, \"name\": \"" + name + "\", "
                + "\"concurrency\": 1, \"source\": {\"rest\": {\"url\": \"http://127.0.0.1:9/contacts?region={region}\","
                + " \"records\": \"/data\"}}, \"columns\": [{\"name\": \"id\", \"type\": \"long\"}]}", name)
                .definition().orElseThrow();
    }

    @BeforeEach
    void connect() {
        clients = AZURITE.clients();
        clients.provision();
        blobs = new AzureBlobStore(clients.blobs());
        for (String container : List.of(RunLayout.RUNS, RunLayout.STATE)) {
            blobs.list(container, "").forEach(name -> blobs.delete(container, name));
        }
        runs = new RunStore(blobs, new TableRunIndex(clients));
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        starter = new RunStarter(runs, new AzureStageQueue(clients), clock);
        segment = definition("segment");
        other = definition("other");
        PipelineCatalog catalog = PipelineCatalog.of(List.of(segment, other));
        requests = new RunRequests(() -> catalog, new ManualRuns(starter, runs, clock));
    }

    private String body(String region) {
        return "{\"parameters\": {\"region\": \"" + region + "\"}, \"requestId\": \"r-" + region.length() + "\"}";
    }

    private List<String> written() {
        List<String> names = new java.util.ArrayList<>();
        blobs.list(RunLayout.RUNS, "").forEach(n -> names.add(RunLayout.RUNS + "/" + n));
        blobs.list(RunLayout.STATE, "").forEach(n -> names.add(RunLayout.STATE + "/" + n));
        return names;
    }

    private List<RunSummary> everyRun() {
        return new RunQueries(runs).runs(new RunIndex.Filter(null, null, null, null, 50));
    }

    @Test
    void aParameterTooLargeForTheHistoryIsRefusedBeforeAnythingIsWritten() {
        RunRequests.Answer huge = requests.start("segment", Optional.of(body("e".repeat(900 * 1024))), Optional.empty());
        assertEquals(413, huge.status(), huge.body().toString());
        assertEquals("the body is 921655 bytes, over the 64 KiB a run request may be; a run takes at most 32 "
                + "parameters of 4096 characters, 32 KiB together (pass a large input as a file)", huge.body().get("error"));

        RunRequests.Answer longValue = requests.start("segment", Optional.of(body("e".repeat(5_000))), Optional.empty());
        assertEquals(400, longValue.status());
        assertEquals("the value of parameter region is 5000 characters long; a value is at most 4096 (pass a large "
                + "input as a file: --input FILE, or a blob the source reads)", longValue.body().get("error"));

        RunRequests.Answer nul = requests.start("segment", Optional.of(body("em\\u0000ea")), Optional.empty());
        assertEquals(400, nul.status());
        assertEquals("the value of parameter region holds the control character U+0000 at character 3; remove it (a "
                + "value may hold tabs and line breaks, no other control characters)", nul.body().get("error"));

        RunRequests.Answer nullParameters = requests.start("segment", Optional.of("{\"parameters\": null}"),
                Optional.empty());
        assertEquals(400, nullParameters.status());
        assertEquals("parameters is null; leave the field out, or give it a value", nullParameters.body().get("error"));

        RunRequests.Answer longId = requests.start("segment", Optional.of("{\"requestId\": \"" + "r".repeat(201)
                + "\"}"), Optional.empty());
        assertEquals(400, longId.status());
        assertEquals(List.of(), written(), "nothing of a refused request is written");

        RunRequests.Answer next = requests.start("segment", Optional.of(body("emea")), Optional.empty());
        assertEquals(202, next.status(), next.body().toString());
        RunId runId = RunId.parse(RunRequests.runIds(next).get(0));
        assertTrue(runs.record(runId).isPresent());
        assertEquals(Map.of("region", "emea"), runs.record(runId).orElseThrow().parameters());
        assertTrue(everyRun().stream().map(RunSummary::runId).toList().contains(runId));
    }

    @Test
    void aStartThatFailsHalfWayLeavesNothingThatHoldsThePipeline() {
        RunId otherRun = starter.start(other, RunId.forRequest("other", "o-1", T0), null, "manual",
                Map.of("region", "emea")).runId();
        RunId failing = RunId.forRequest("segment", "big", T0);

        // A caller that skips the request's checks: the history's row is too large for the table store.
        RuntimeException refused = assertThrows(RuntimeException.class, () -> starter.start(segment, failing, null,
                "manual", Map.of("region", "e".repeat(900 * 1024))));

        assertTrue(runs.record(failing).isEmpty(), "no run record: " + refused);
        assertTrue(blobs.properties(RunLayout.RUNS, RunLayout.definition(failing)).isEmpty(), "no snapshot");
        assertEquals(List.of(), blobs.list(RunLayout.STATE, RunLayout.activePrefix("segment")),
                "no active marker holds the pipeline");
        RunId next = RunId.forRequest("segment", "next", T0.plusSeconds(60));
        assertTrue(starter.start(segment, next, null, "manual", Map.of("region", "emea")).isNew());
        assertTrue(new ConcurrencyGate(runs, Clock.fixed(T0.plusSeconds(61), ZoneOffset.UTC),
                ConcurrencyGate.DEFAULT_STALE).admit("segment", next, 1), "the next run goes at once, not in a day");
        List<RunId> listed = everyRun().stream().map(RunSummary::runId).toList();
        assertTrue(listed.containsAll(List.of(next, otherRun)) && !listed.contains(failing),
                "the history of every pipeline answers: " + listed);
        assertEquals(2, new HistoryBackfill(runs).fill(), "runs from before the history are indexed without a failure");
    }
}
