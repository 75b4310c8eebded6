package io.tributary.cli;

import io.tributary.run.RunState;
import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.port.RunSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tributary runs}' table: a resumed run's time is the time it worked, its wait for the rerun apart. */
class RunsTableTest {

    private static RunSummary run(String id, String start, String end, Long waitedMillis) {
        return new RunSummary(RunId.parse(id), "orders", "fileDrop", RunState.COMMITTED, Instant.parse(start),
                Instant.parse(end), 280L,
                235L, 3L, 9000L, null, null, "landing/orders/a.csv", "h", Map.of(), null, waitedMillis);
    }

    @Test
    void aResumedRunsWaitForItsRerunStandsApartFromItsWorkingTime() {
        List<String> lines = RunsCommand.table(List.of(
                run("20261122T080000Z-0000000002", "2026-11-22T08:00:00Z", "2026-11-22T10:00:05Z", 7_200_000L),
                run("20261122T070000Z-0000000001", "2026-11-22T07:00:00Z", "2026-11-22T07:00:01.500Z", null))).lines("");

        assertEquals(List.of(
                "run                          pipeline  trigger   status     started (UTC)          time  waited for rerun  rows in  rows out  rejected",
                "---------------------------  --------  --------  ---------  -------------------  ------  ----------------  -------  --------  --------",
                "20261122T080000Z-0000000002  orders    fileDrop  committed  2026-11-22 08:00:00  5.00 s         7200.00 s      280       235         3",
                "20261122T070000Z-0000000001  orders    fileDrop  committed  2026-11-22 07:00:00  1.50 s                        280       235         3"),
                lines);
    }

    @Test
    void withoutAResumedRunThereIsNoWaitColumn() {
        List<String> lines = RunsCommand.table(List.of(run("20261122T070000Z-0000000001", "2026-11-22T07:00:00Z",
                "2026-11-22T07:00:01.500Z",
                null))).lines("");

        assertEquals("run                          pipeline  trigger   status     started (UTC)          time  rows in  rows out  rejected",
                lines.get(0));
    }
}
