package io.tributary.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunIdTest {

    private static final Instant AT = Instant.parse("2026-11-22T05:40:07.123Z");
    private static final BlobRef DROP = new BlobRef("landing", "orders/a.csv", "0x8DD1");

    @Test
    void aDropOfOneBlobVersionAlwaysNamesTheSameRun() {
        RunId id = RunId.forDrop("orders", DROP, AT);
        assertEquals(id, RunId.forDrop("orders", new BlobRef("landing", "orders/a.csv", "0x8DD1"), AT));
        assertTrue(id.text().startsWith("20261122T054007Z-"), id.text());
        assertTrue(RunId.isValid(id.text()), id.text());
    }

    @Test
    void anotherVersionBlobOrPipelineNamesAnotherRun() {
        RunId id = RunId.forDrop("orders", DROP, AT);
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
        RunId upstream = RunId.forDrop("orders", new BlobRef("landing", "orders/a.csv", "0x1"), AT);
        assertEquals(RunId.forDataset("features", upstream, AT), RunId.forDataset("features", upstream, AT));
        assertNotEquals(RunId.forDataset("features", upstream, AT), RunId.forDataset("returns", upstream, AT));
        assertTrue(RunId.isValid(RunId.forDataset("features", upstream, AT).text()));
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

    @Test
    void parseGivesBackTheTextItWasGiven() {
        RunId id = RunId.parse("20261122T054007Z-0123456789");
        assertEquals("20261122T054007Z-0123456789", id.text());
        assertEquals("20261122T054007Z-0123456789", id.toString());
        assertEquals(id, RunId.parse(id.toString()));
        RunId made = RunId.forSchedule("orders", AT);
        assertEquals(made, RunId.parse(made.text()));
    }

    @Test
    void parseRefusesWhatIsNotARunIdNamingItAndTheForm() {
        for (String bad : new String[] {"latest", "20261122T054007Z-XYZ", "20261122T054007Z-0123456789 ", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunId.parse(bad));
            assertEquals("'" + bad + "' is not a run id (yyyyMMdd'T'HHmmss'Z'-<10 hex digits>, such as "
                    + "20261122T054000Z-3fa9c1d20b)", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> RunId.parse(null));
    }

    @Test
    void inJsonARunIdIsItsPlainText() {
        RunId id = RunId.parse("20261122T054007Z-0123456789");
        assertEquals("\"20261122T054007Z-0123456789\"", Json.compact(id));
        assertEquals(id, Json.read("\"20261122T054007Z-0123456789\"".getBytes(StandardCharsets.UTF_8), RunId.class));
        RunRecord record = new RunRecord(id, "orders", "manual", null, "h", AT, Map.of(), id,
                new RunRecord.Upstream("customers", id));
        String json = Json.compact(record);
        assertTrue(json.startsWith("{\"runId\":\"20261122T054007Z-0123456789\",\"pipeline\":\"orders\""), json);
        assertTrue(json.contains("\"rerunOf\":\"20261122T054007Z-0123456789\",\"upstream\":{\"pipeline\":\"customers\","
                + "\"runId\":\"20261122T054007Z-0123456789\"}"), json);
        assertEquals(record, Json.read(json.getBytes(StandardCharsets.UTF_8), RunRecord.class));
    }

    @Test
    void aMessageWhoseRunIdIsNotOneIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.message(
                "{\"version\":1,\"runId\":\"latest\",\"pipeline\":\"orders\",\"chunks\":1}", StoreMessage.class));
        assertTrue(e.getMessage().contains("'latest' is not a run id"), e.getMessage());
    }
}
