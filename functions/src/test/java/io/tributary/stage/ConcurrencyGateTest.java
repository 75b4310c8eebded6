package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.run.RunLayout;
import io.tributary.testing.MemoryBlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's rules over blobs in memory, with a fixed clock. */
class ConcurrencyGateTest {

    private final MemoryBlobStore blobs = new MemoryBlobStore();
    private final RunStore runs = new RunStore(blobs);

    private ConcurrencyGate gateAt(String now) {
        return new ConcurrencyGate(runs, Clock.fixed(Instant.parse(now), ZoneOffset.UTC), Duration.ofHours(24));
    }

    @Test
    void runsGoInRunIdOrderAndAnAdmittedRunCountsUntilItIsStale() {
        String older = "20261122T060000Z-aaaaaaaaaa";
        String newer = "20261122T070000Z-bbbbbbbbbb";
        ConcurrencyGate gate = gateAt("2026-11-22T07:00:00Z");
        gate.register("orders", older);
        gate.register("orders", newer);
        assertEquals(List.of(false, true, false), List.of(gate.admit("orders", newer, 1), gate.admit("orders", older, 1),
                gate.admit("orders", newer, 1)));
        assertEquals(List.of(RunLayout.admittedRun("orders", older)), blobs.list(RunLayout.STATE, "admitted/"));

        ConcurrencyGate dayLater = gateAt("2026-11-23T07:00:01Z");
        assertEquals(false, dayLater.admit("orders", newer, 1), "the older run, still active, is ahead of it");
        blobs.delete(RunLayout.STATE, RunLayout.activeRun("orders", older));
        assertEquals(true, dayLater.admit("orders", newer, 1),
                "admitted more than a day ago without an outcome: its host died, it no longer holds the pipeline");
    }

    @Test
    void otherPipelinesDoNotCount() {
        ConcurrencyGate gate = gateAt("2026-11-22T07:00:00Z");
        gate.register("orders", "20261122T060000Z-aaaaaaaaaa");
        assertEquals(true, gate.admit("orders", "20261122T060000Z-aaaaaaaaaa", 1));
        assertEquals(true, gate.admit("stock", "20261122T070000Z-cccccccccc", 1));
    }
}
