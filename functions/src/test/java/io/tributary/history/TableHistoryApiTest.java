package io.tributary.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.EngineLimits;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.stage.RunStore;
import io.tributary.start.RunRequests;
import io.tributary.table.Action;
import io.tributary.table.RunTables;
import io.tributary.table.TableLog;
import io.tributary.testing.InMemoryBlobStore;
import io.tributary.testing.InMemoryRunIndex;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/pipelines/{pipeline}/history}: its JSON, its 400s and its 404s, each saying what and how. */
class TableHistoryApiTest {

    private static final String DEFINITION = """
            {"schemaVersion": 1, "name": "%s", "trigger": {"type": "fileDrop", "path": "%s/*.csv"},
             "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]%s}""";

    @TempDir
    Path work;

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();

    private static PipelineDefinition definition(String name, String output) {
        return DefinitionReader.read(name + ".json", DEFINITION.formatted(name, name, output), null).definition()
                .orElseThrow();
    }

    private TableHistoryApi api() {
        PipelineCatalog catalog = PipelineCatalog.of(List.of(
                definition("contacts", ", \"output\": {\"table\": {\"mode\": \"append\"}}"),
                definition("fresh", ", \"output\": {\"table\": {\"mode\": \"append\"}}"),
                definition("orders", "")));
        RunTables tables = RunTables.standard(blobs, Clock.systemUTC(), work, EngineLimits.DEFAULT);
        return new TableHistoryApi(() -> catalog, new RunQueries(new RunStore(blobs, new InMemoryRunIndex())),
                tables::log);
    }

    /** Commits version {@code version} of the contacts table by hand: a file of 5 rows, appended by run r{version}. */
    private void commit(long version) {
        TableLog log = RunTables.standard(blobs, Clock.systemUTC(), work, EngineLimits.DEFAULT).log("contacts");
        Map<String, Object> info = Map.of("timestamp", 1_700_000_000_000L + version, "operation", "WRITE",
                "operationParameters", Map.of("mode", "Append"), "tributary", Map.of("runId", "r" + version),
                "operationMetrics", Map.of("numFiles", "1", "numOutputRows", "5", "numOutputBytes", "50",
                        "numRemovedFiles", "0", "numRemovedRows", "0"));
        List<Action> actions = new java.util.ArrayList<>(List.of(Action.commitInfo(info)));
        if (version == 0) {
            actions.add(Action.of(new Action.Protocol(1, 2, null, null)));
            actions.add(Action.of(new Action.Metadata("id", null, null, Action.Format.PARQUET,
                    "{\"type\":\"struct\",\"fields\":[]}", List.of(), Map.of(), 0L)));
        }
        actions.add(Action.of(new Action.AddFile("part-" + version + ".parquet", Map.of(), 50, 0, true,
                "{\"numRecords\":5}", null)));
        log.tryCommit(version, actions);
    }

    private static String text(RunRequests.Answer answer) {
        return Json.compact(Json.read(answer.json(), Map.class));
    }

    @Test
    void versionsNewestFirstWithTheNextPagesBefore() {
        for (long v = 0; v < 3; v++) {
            commit(v);
        }

        RunRequests.Answer answer = api().history("contacts", Map.of("limit", "2", "code", "key"));

        assertEquals(200, answer.status(), text(answer));
        assertEquals("{\"pipeline\":\"contacts\",\"table\":\"training/contacts/table/\",\"latestVersion\":2,"
                + "\"versions\":[{\"version\":2,\"inLog\":true,\"committedAt\":\"2023-11-14T22:13:20.002Z\","
                + "\"operation\":\"WRITE\",\"mode\":\"append\",\"runId\":\"r2\",\"rowsAdded\":5,\"rowsRemoved\":0,"
                + "\"filesAdded\":1,\"filesRemoved\":0,\"bytesAdded\":50,\"merged\":null},"
                + "{\"version\":1,\"inLog\":true,\"committedAt\":\"2023-11-14T22:13:20.001Z\",\"operation\":\"WRITE\","
                + "\"mode\":\"append\",\"runId\":\"r1\",\"rowsAdded\":5,\"rowsRemoved\":0,\"filesAdded\":1,"
                + "\"filesRemoved\":0,\"bytesAdded\":50,\"merged\":null}],\"nextBefore\":1}",
                text(answer));
        assertEquals(List.of(0), ((List<?>) Json.read(api().history("contacts", Map.of("before", "1")).json(),
                Map.class).get("versions")).stream().map(v -> ((Map<?, ?>) v).get("version")).toList());
    }

    @Test
    void aBadParameterIsA400ThatSaysWhatToGive() {
        commit(0);
        assertEquals("{\"error\":\"limit must be a whole number from 1 to 1000, not '0'\"}",
                text(api().history("contacts", Map.of("limit", "0"))));
        assertEquals("{\"error\":\"before must be a whole number from 0 up, not 'latest'\"}",
                text(api().history("contacts", Map.of("before", "latest"))));
        RunRequests.Answer unknown = api().history("contacts", Map.of("limt", "5"));
        assertEquals(400, unknown.status());
        assertEquals("{\"error\":\"unknown query parameter 'limt'; did you mean 'limit'?; the history takes limit "
                + "and before\"}", text(unknown));
    }

    @Test
    void aPipelineWithoutVersionsIsA404ThatSaysWhy() {
        RunRequests.Answer none = api().history("fresh", Map.of());
        assertEquals(404, none.status());
        assertEquals("{\"error\":\"pipeline 'fresh' has no table versions yet: no run has committed to "
                + RunLayout.TRAINING + "/fresh/table/\"}", text(none));
        assertEquals("{\"error\":\"pipeline 'orders' writes no Delta table (its definition has no output.table): "
                + "each run commits a dataset of its own under training/orders/{runId}/, which 'tributary runs "
                + "--pipeline orders' lists\"}", text(api().history("orders", Map.of())));
        RunRequests.Answer unknown = api().history("contact", Map.of());
        assertEquals(404, unknown.status());
        assertEquals(true, text(unknown).startsWith("{\"error\":\"no pipeline named 'contact'; did you mean "
                + "'contacts'?"), text(unknown));
    }
}
