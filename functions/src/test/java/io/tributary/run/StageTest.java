package io.tributary.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stages keep the names that blobs, tables, log lines, alerts, the API and the command line have always shown. */
class StageTest {

    private static final Instant AT = Instant.parse("2026-11-22T07:00:00Z");
    private static final RunId RUN = RunId.parse("20261122T070000Z-0123456789");

    @Test
    void eachStageParsesFromItsTextAndPrintsAsIt() {
        for (Stage stage : Stage.values()) {
            assertEquals(stage, Stage.parse(stage.text()));
            assertEquals(stage.text(), stage.toString());
        }
        assertEquals(List.of("fileDrop", "schedule", "extract", "job", "transform", "combine", "store"), Stage.texts());
        assertEquals(List.of(Stage.EXTRACT, Stage.JOB, Stage.TRANSFORM, Stage.COMBINE, Stage.STORE), Stage.CHAIN);
    }

    @Test
    void anUnknownTextIsRefusedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stage.parse("Extract"));
        assertEquals("'Extract' is not a stage; one of fileDrop, schedule, extract, job, transform, combine, store",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Stage.parse(null));
    }

    @Test
    void eachStageOfTheChainHasItsQueueAndTheStartingOnesNone() {
        assertEquals(RunLayout.STAGE_QUEUES, Stage.CHAIN.stream().map(Stage::queue).toList());
        assertEquals(List.of("pipeline-extract", "pipeline-job", "pipeline-transform", "pipeline-combine",
                        "pipeline-store"),
                Stage.CHAIN.stream().map(Stage::queue).toList());
        IllegalStateException e = assertThrows(IllegalStateException.class, Stage.FILE_DROP::queue);
        assertEquals("fileDrop starts runs; no queue triggers it", e.getMessage());
        assertThrows(IllegalStateException.class, Stage.SCHEDULE::queue);
    }

    @Test
    void stagesOrderAsARunMeetsThem() {
        assertEquals(List.of(Stage.EXTRACT, Stage.TRANSFORM, Stage.COMBINE, Stage.STORE),
                List.of(Stage.STORE, Stage.COMBINE, Stage.EXTRACT, Stage.TRANSFORM).stream().sorted().toList());
    }

    @Test
    void blobNamesTableKeysAndPlacesAreAsBefore() {
        assertEquals(RUN + "/stages/extract.json", RunLayout.stageReport(RUN, Stage.EXTRACT, -1));
        assertEquals(RUN + "/stages/transform-00002.json", RunLayout.stageReport(RUN, Stage.TRANSFORM, 2));
        assertEquals(RUN + "/handoffs/combine", RunLayout.handoff(RUN, Stage.COMBINE));
        assertEquals("store", RunLayout.stageKey(Stage.STORE, -1));
        assertEquals("combine-000003", RunLayout.stageKey(Stage.COMBINE, 3));
        assertEquals("combine key bucket 3", RunOutcome.failed(AT, Stage.COMBINE, 3, "boom").place());
        assertEquals("transform chunk 2", RunOutcome.failed(AT, Stage.TRANSFORM, 2, "boom").place());
        assertEquals("[run=" + RUN + " pipeline=orders stage=fileDrop chunk=-]",
                new LogContext.Fields(RUN, "orders", Stage.FILE_DROP, -1).tag());
    }

    @Test
    void inJsonAStageIsItsPlainText() {
        assertEquals("\"combine\"", Json.compact(Stage.COMBINE));
        assertEquals(Stage.FILE_DROP, Json.read("\"fileDrop\"".getBytes(StandardCharsets.UTF_8), Stage.class));
        Alert alert = new Alert(Alert.POISON_MESSAGE, null, null, Stage.FILE_DROP, -1, "poisoned", AT,
                Map.of("queue", "webjobs-blobtrigger-poison"));
        String json = Json.compact(alert);
        assertEquals("{\"kind\":\"poisonMessage\",\"pipeline\":null,\"runId\":null,\"stage\":\"fileDrop\",\"chunk\":-1,"
                + "\"text\":\"poisoned\",\"at\":\"2026-11-22T07:00:00Z\",\"details\":{\"queue\":"
                + "\"webjobs-blobtrigger-poison\"}}", json);
        assertEquals(alert, Json.read(json.getBytes(StandardCharsets.UTF_8), Alert.class));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Json.read(("{\"stage\":\"load\","
                + "\"chunk\":-1,\"status\":\"running\",\"startedAt\":\"2026-11-22T07:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8), StageReport.class));
        assertTrue(e.getMessage().contains("'load' is not a stage; one of fileDrop"), e.getMessage());
    }
}
