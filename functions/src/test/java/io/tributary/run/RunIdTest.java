package io.tributary.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunIdTest {

    private static final Instant AT = Instant.parse("2026-11-22T05:40:07.123Z");
    private static final BlobRef DROP = new BlobRef("landing", "orders/a.csv", "0x8DD1");

    @Test
    void aDropOfOneBlobVersionAlwaysNamesTheSameRun() {
        String id = RunId.forDrop("orders", DROP, AT);
        assertEquals(id, RunId.forDrop("orders", new BlobRef("landing", "orders/a.csv", "0x8DD1"), AT));
        assertTrue(id.startsWith("20261122T054007Z-"), id);
        assertTrue(RunId.isValid(id), id);
    }

    @Test
    void anotherVersionBlobOrPipelineNamesAnotherRun() {
        String id = RunId.forDrop("orders", DROP, AT);
        assertNotEquals(id, RunId.forDrop("orders", new BlobRef("landing", "orders/a.csv", "0x8DD2"), AT));
        assertNotEquals(id, RunId.forDrop("orders", new BlobRef("landing", "orders/b.csv", "0x8DD1"), AT));
        assertNotEquals(id, RunId.forDrop("returns", DROP, AT));
    }

    @Test
    void scheduleAndRequestIdsAreDeterministicToo() {
        assertEquals(RunId.forSchedule("orders", AT), RunId.forSchedule("orders", AT));
        assertNotEquals(RunId.forSchedule("orders", AT), RunId.forSchedule("orders", AT.plusSeconds(60)));
        assertEquals(RunId.forRequest("orders", "r1", AT), RunId.forRequest("orders", "r1", AT));
        assertNotEquals(RunId.forRequest("orders", "r1", AT), RunId.forRequest("orders", "r2", AT));
        String upstream = RunId.forDrop("orders", new BlobRef("landing", "orders/a.csv", "0x1"), AT);
        assertEquals(RunId.forDataset("features", upstream, AT), RunId.forDataset("features", upstream, AT));
        assertNotEquals(RunId.forDataset("features", upstream, AT), RunId.forDataset("returns", upstream, AT));
        assertTrue(RunId.isValid(RunId.forDataset("features", upstream, AT)));
    }

    @Test
    void runIdsSortByTime() {
        assertTrue(RunId.forDrop("orders", DROP, AT).compareTo(RunId.forDrop("orders", DROP, AT.plusSeconds(1))) < 0);
    }

    @Test
    void recognisesOnlyRunIds() {
        assertFalse(RunId.isValid("orders"));
        assertFalse(RunId.isValid("20261122T054007Z-XYZ"));
        assertFalse(RunId.isValid(null));
    }
}
