package io.tributary.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run states and stage statuses keep the text that storage, the API and the command line have always shown. */
class RunStateTest {

    private static final Instant AT = Instant.parse("2026-11-22T07:00:00Z");

    @Test
    void eachStateParsesFromItsTextAndPrintsAsIt() {
        for (RunState state : RunState.values()) {
            assertEquals(state, RunState.parse(state.text()));
            assertEquals(state.text(), state.toString());
        }
        assertEquals(List.of("running", "committed", "failed"), RunState.texts());
        for (StageStatus status : StageStatus.values()) {
            assertEquals(status, StageStatus.parse(status.text()));
            assertEquals(status.text(), status.toString());
        }
        assertEquals(List.of("running", "succeeded", "failed"), StageStatus.texts());
    }

    @Test
    void anUnknownTextIsRefusedListingTheKnownOnes() {
        IllegalArgumentException state = assertThrows(IllegalArgumentException.class, () -> RunState.parse("done"));
        assertEquals("'done' is not a run state; one of running, committed, failed", state.getMessage());
        IllegalArgumentException status = assertThrows(IllegalArgumentException.class,
                () -> StageStatus.parse("COMMITTED"));
        assertEquals("'COMMITTED' is not a stage status; one of running, succeeded, failed", status.getMessage());
    }

    @Test
    void outcomesAndReportsWriteTheSameJsonAsBefore() {
        RunOutcome failed = RunOutcome.failed(AT, Stage.TRANSFORM, 2, "boom");
        String json = Json.compact(failed);
        assertEquals("{\"status\":\"failed\",\"at\":\"2026-11-22T07:00:00Z\",\"stage\":\"transform\",\"chunk\":2,"
                + "\"error\":\"boom\"}", json);
        assertEquals(failed, Json.read(json.getBytes(StandardCharsets.UTF_8), RunOutcome.class));
        assertEquals(RunState.COMMITTED, Json.read("{\"status\":\"committed\",\"at\":\"2026-11-22T07:00:00Z\",\"chunk\":-1}"
                .getBytes(StandardCharsets.UTF_8), RunOutcome.class).status());

        StageReport report = StageReport.running(Stage.EXTRACT, -1, AT).succeeded(AT.plusSeconds(1), 5, 4, 1);
        String reportJson = Json.compact(report);
        assertEquals("{\"stage\":\"extract\",\"chunk\":-1,\"status\":\"succeeded\",\"startedAt\":\"2026-11-22T07:00:00Z\","
                + "\"finishedAt\":\"2026-11-22T07:00:01Z\",\"rowsIn\":5,\"rowsOut\":4,\"rowsRejected\":1,\"error\":null}",
                reportJson);
        assertEquals(report, Json.read(reportJson.getBytes(StandardCharsets.UTF_8), StageReport.class));
    }
}
