package io.tributary.history;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.BlobStore;
import io.tributary.port.RunIndex;
import io.tributary.port.RunSummary;
import io.tributary.run.Json;
import io.tributary.stage.RunStore;
import io.tributary.start.RunRequests;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The API's JSON and its 400s, without storage: filters parsed, pipelines described, answers shaped. */
class RunsApiTest {

    /** An index that answers with fixed runs and remembers the filter it was asked. */
    static final class FixedIndex extends RunIndex.Empty {
        final List<RunSummary> runs;
        final List<Filter> asked = new ArrayList<>();

        FixedIndex(List<RunSummary> runs) {
            this.runs = runs;
        }

        @Override
        public List<RunSummary> runs(Filter filter) {
            asked.add(filter);
            return runs.stream().filter(r -> filter.pipeline() == null || filter.pipeline().equals(r.pipeline()))
                    .filter(r -> filter.status() == null || filter.status() == r.status())
                    .limit(filter.limit()).toList();
        }
    }

    static final RunSummary COMMITTED = new RunSummary(RunId.parse("20261122T073242Z-a3f6fba34e"), "orders", "fileDrop",
            RunState.COMMITTED, Instant.parse("2026-11-22T07:32:43Z"), Instant.parse("2026-11-22T07:33:01Z"), 200L, 171L, 29L,
            5120L, null, null, "landing/orders/a.csv", "abc", Map.of(), null);

    private static PipelineDefinition definition(String json) {
        return DefinitionReader.read("p.json", json, null).definition().orElseThrow();
    }

    private static RunsApi api(FixedIndex index) {
        PipelineCatalog catalog = PipelineCatalog.of(List.of(
                definition("""
                        {"schemaVersion": 1, "name": "orders", "trigger": {"type": "fileDrop", "path": "orders/*.csv"},
                         "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}"""),
                definition("""
                        {"schemaVersion": 1, "name": "nightly", "schedule": {"cron": "0 30 2 * * *",
                         "timeZone": "Europe/Berlin"},
                         "source": {"format": "csv", "blob": "reference/nightly.csv"},
                         "columns": [{"name": "id", "type": "long"}]}"""),
                definition("""
                        {"schemaVersion": 1, "name": "features", "trigger": {"type": "dataset", "pipeline": "orders",
                         "splits": ["train"]}, "source": {"format": "parquet"},
                         "columns": [{"name": "id", "type": "long"}]}""")));
        // No run here is running, so nothing is read from blobs.
        BlobStore none = (BlobStore) java.lang.reflect.Proxy.newProxyInstance(BlobStore.class.getClassLoader(),
                new Class<?>[] {BlobStore.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("no blobs in this test: " + method.getName());
                });
        RunStore runs = new RunStore(none, index);
        return new RunsApi(() -> catalog, new RunQueries(runs), null, name -> Optional.empty(),
                Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC));
    }

    private static String error(Map<String, String> query) {
        RunRequests.Answer answer = api(new FixedIndex(List.of())).runs(query);
        assertEquals(400, answer.status(), answer.body().toString());
        return (String) answer.body().get("error");
    }

    @Test
    void badFiltersSayWhatIsWrongAndHowToFixIt() {
        assertEquals("status must be one of running, committed, failed, not 'x'", error(Map.of("status", "x")));
        assertEquals("since must be an ISO-8601 time such as 2026-11-22T07:00:00Z (or a date such as 2026-11-22, "
                + "midnight UTC), not 'yesterday'", error(Map.of("since", "yesterday")));
        assertEquals("limit must be a whole number from 1 to 1000, not '0'", error(Map.of("limit", "0")));
        assertEquals("limit must be a whole number from 1 to 1000, not 'many'", error(Map.of("limit", "many")));
        assertEquals("pipeline must be a pipeline name (lower-case letters, digits and hyphens, such as "
                + "sample-orders), not 'Orders!'", error(Map.of("pipeline", "Orders!")));
        assertEquals("unknown query parameter 'state'; the filters are pipeline, status, since, until and limit",
                error(Map.of("state", "failed")));
        assertEquals("unknown query parameter 'pipelin'; did you mean 'pipeline'?; the filters are pipeline, status, "
                + "since, until and limit", error(Map.of("pipelin", "orders")));
        Map<String, String> backwards = new LinkedHashMap<>();
        backwards.put("since", "2026-11-22");
        backwards.put("until", "2026-11-21T00:00:00Z");
        assertEquals("since (2026-11-22T00:00:00Z) is after until (2026-11-21T00:00:00Z); swap them",
                error(backwards));
    }

    @Test
    void goodFiltersReachTheIndexAsAsked() {
        FixedIndex index = new FixedIndex(List.of(COMMITTED));
        RunRequests.Answer answer = api(index).runs(Map.of("pipeline", "orders", "status", "committed",
                "since", "2026-11-22", "until", "2026-11-22T08:00:00+01:00", "code", "a-function-key"));
        assertEquals(200, answer.status());
        assertEquals(List.of(new RunIndex.Filter("orders", RunState.COMMITTED, Instant.parse("2026-11-22T00:00:00Z"),
                Instant.parse("2026-11-22T07:00:00Z"), 50), new RunIndex.Filter("orders", RunState.RUNNING,
                Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-22T07:00:00Z"), 50)), index.asked,
                "and the runs still shown running, which may have committed since");
        assertEquals("""
                {
                  "runs" : [ {
                    "runId" : "20261122T073242Z-a3f6fba34e",
                    "pipeline" : "orders",
                    "trigger" : "fileDrop",
                    "status" : "committed",
                    "startedAt" : "2026-11-22T07:32:43Z",
                    "endedAt" : "2026-11-22T07:33:01Z",
                    "rowsIn" : 200,
                    "rowsOut" : 171,
                    "rowsRejected" : 29,
                    "bytes" : 5120,
                    "error" : null,
                    "failedStage" : null,
                    "waitedMs" : null
                  } ]
                }""", new String(answer.json(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void pipelinesShowTheirTriggerNextScheduledRunAndLastRun() throws Exception {
        RunRequests.Answer answer = api(new FixedIndex(List.of(COMMITTED))).pipelines();
        assertEquals(200, answer.status());
        var json = Json.MAPPER.readTree(answer.json());
        assertEquals(3, json.get("pipelines").size());
        var features = json.get("pipelines").get(0);
        var nightly = json.get("pipelines").get(1);
        var orders = json.get("pipelines").get(2);
        assertEquals("{\"type\":\"dataset\",\"pipeline\":\"orders\",\"splits\":[\"train\"]}",
                features.get("trigger").toString());
        assertEquals(List.of("orders", "fileDrop", "orders/*.csv"), List.of(orders.get("name").asText(),
                orders.get("trigger").get("type").asText(), orders.get("trigger").get("path").asText()));
        assertEquals(true, orders.get("nextRunAt").isNull());
        assertEquals(List.of(COMMITTED.runId().text(), "committed", "171"), List.of(orders.get("lastRun").get("runId").asText(),
                orders.get("lastRun").get("status").asText(), orders.get("lastRun").get("rowsOut").asText()));
        assertEquals(List.of("nightly", "schedule", "0 30 2 * * *", "Europe/Berlin"), List.of(
                nightly.get("name").asText(), nightly.get("trigger").get("type").asText(),
                nightly.get("trigger").get("schedule").asText(), nightly.get("trigger").get("timeZone").asText()));
        assertEquals("2026-11-23T01:30:00Z", nightly.get("nextRunAt").asText(), "02:30 in Berlin, in winter");
        assertEquals(true, nightly.get("lastRun").isNull());
    }

    @Test
    void aRunIdThatIsNotOneIsA400() {
        RunRequests.Answer answer = api(new FixedIndex(List.of())).run("latest");
        assertEquals(400, answer.status());
        assertEquals("'latest' is not a run id (they look like 20261122T054000Z-3fa9c1d20b; GET /api/runs lists them)",
                answer.body().get("error"));
    }

    @Test
    void anUnknownPipelineIsA404WithTheOneMeantNotAnEmptyList() {
        FixedIndex index = new FixedIndex(List.of(COMMITTED));
        RunRequests.Answer answer = api(index).runs(Map.of("pipeline", "ordres"));
        assertEquals(404, answer.status());
        assertEquals("no pipeline named 'ordres'; did you mean 'orders'?; available: features, nightly, orders",
                answer.body().get("error"));
        assertEquals(200, api(index).runs(Map.of("pipeline", "orders")).status());
    }

    @Test
    void aDateAsUntilIsTheWholeDay() {
        FixedIndex index = new FixedIndex(List.of());
        api(index).runs(Map.of("until", "2026-11-22"));
        assertEquals(Instant.parse("2026-11-22T23:59:59Z"), index.asked.get(0).until());
        api(index).runs(Map.of("until", "2026-11-22T08:00:00Z"));
        assertEquals(Instant.parse("2026-11-22T08:00:00Z"), index.asked.get(1).until());
    }

    @Test
    void runsAreListedNewestStartFirst() throws Exception {
        // A backfilled window's run id carries the window's time; it started after the drop's run.
        RunSummary backfilled = new RunSummary(RunId.parse("20261101T060000Z-0b0b0b0b0b"), "orders", "backfill", RunState.COMMITTED,
                Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-22T09:00:05Z"), 1L, 1L, 0L, 10L, null,
                null, null, "abc", Map.of(), null);
        RunRequests.Answer answer = api(new FixedIndex(List.of(COMMITTED, backfilled))).runs(Map.of());
        var runs = Json.MAPPER.readTree(answer.json()).get("runs");
        assertEquals(List.of(backfilled.runId().text(), COMMITTED.runId().text()), runs.findValuesAsText("runId"));
    }

    @Test
    void aRerunsQueryIsReadExactly() {
        RunsApi api = api(new FixedIndex(List.of()));
        RunRequests.Answer misspelt = api.rerun(COMMITTED.runId().text(), Map.of("fromstart", "true"));
        assertEquals(400, misspelt.status());
        assertEquals("unknown query parameter 'fromstart'; did you mean 'fromStart'?; a rerun takes only "
                + "fromStart=true (start over as a new run)", misspelt.body().get("error"));
        RunRequests.Answer yes = api.rerun(COMMITTED.runId().text(), Map.of("fromStart", "yes"));
        assertEquals(400, yes.status());
        assertEquals("fromStart must be true or false, not 'yes'", yes.body().get("error"));
    }
}
