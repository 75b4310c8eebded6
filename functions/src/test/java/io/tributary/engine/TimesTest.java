package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.OutputColumn;
import io.tributary.testing.ParquetRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dates and timestamps in the source's own format; wall-clock times in a declared zone become UTC instants. */
class TimesTest {

    @TempDir
    Path work;

    /** Parquet's timestamps: microseconds since the epoch, UTC. */
    private static long micros(LocalDateTime utc) {
        return utc.toEpochSecond(ZoneOffset.UTC) * 1_000_000;
    }

    @Test
    void readsDeclaredFormatsAndTurnsZonedWallClockTimesIntoUtc() throws Exception {
        Path file = Path.of(System.getProperty("tributary.root", "."),
                "functions/src/test/resources/definitions/valid/times.json");
        PipelineDefinition definition = DefinitionReader.read("times.json", Files.readString(file), null)
                .definition().orElseThrow();
        Path input = work.resolve("input.csv");
        Files.writeString(input, "meter,read_at,logged_at,billing_day,kwh\n"
                + "m-1,22/11/2026 14:05,22/11/2026 14:06,01.11.2026,3.5\n"
                + "m-2,28/06/2026 09:00,28/06/2026 09:01,01.06.2026,1.0\n"
                + "m-3,2026-11-22 14:05,22/11/2026 14:06,01.11.2026,2.0\n"
                + "m-4,22/11/2026 14:05,22/11/2026 14:06,31.11.2026,2.0\n");

        ChunkOutput out = new ChunkTransformer(EngineLimits.DEFAULT).transform(definition, input, work);

        assertEquals(new OutputColumn("read_at", "TIMESTAMP WITH TIME ZONE"), out.schema().get(1));
        assertEquals(new OutputColumn("logged_at", "TIMESTAMP"), out.schema().get(2));
        List<Map<String, Object>> rows = ParquetRows.read(out.parts().get(0).file());
        assertEquals(2, rows.size());
        // Berlin is UTC+1 in November and UTC+2 in June.
        assertEquals(13L, rows.get(0).get("read_hour_utc"));
        assertEquals(7L, rows.get(1).get("read_hour_utc"));
        assertEquals(LocalDate.of(2026, 11, 1), rows.get(0).get("billing_day"));
        assertEquals(micros(LocalDateTime.of(2026, 11, 22, 14, 6)), rows.get(0).get("logged_at"));
        assertEquals(micros(LocalDateTime.of(2026, 11, 22, 13, 5)), rows.get(0).get("read_at"));

        assertEquals(2, out.rowsRejected());
        List<String> rejects = Files.readAllLines(out.rejects());
        assertTrue(rejects.get(0).startsWith("{\"line\":4,\"column\":\"read_at\""), rejects.get(0));
        assertTrue(rejects.get(1).startsWith("{\"line\":5,\"column\":\"billing_day\""), rejects.get(1));
    }

    @Test
    void anOffsetInIsoTextIsAppliedToUtcTimestampsAndRejectedInPlainOnes() throws Exception {
        PipelineDefinition definition = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "plain", "type": "timestamp"},
                             {"name": "instant", "type": "timestamp", "timeZone": "UTC"}]}""", null)
                .definition().orElseThrow();
        Path input = work.resolve("input.csv");
        Files.writeString(input, "id,plain,instant\n1,2026-11-22T10:00:00+02:00,2026-11-22 10:00:00+05:30\n"
                + "2,2026-11-22 10:00:00,2026-11-22 10:00:00\n3,2026-11-22 10:00:00,2026-11-22T10:00:00Z\n");

        ChunkOutput out = new ChunkTransformer(EngineLimits.DEFAULT).transform(definition, input, work);

        List<Map<String, Object>> rows = ParquetRows.read(out.parts().get(0).file());
        assertEquals(2L, rows.get(0).get("id"), rows.toString());
        assertEquals(micros(LocalDateTime.of(2026, 11, 22, 10, 0)), rows.get(0).get("plain"));
        assertEquals(micros(LocalDateTime.of(2026, 11, 22, 10, 0)), rows.get(0).get("instant"));
        assertEquals(micros(LocalDateTime.of(2026, 11, 22, 10, 0)), rows.get(1).get("instant"));
        assertEquals(List.of(new OutputColumn("id", "BIGINT"), new OutputColumn("plain", "TIMESTAMP"),
                new OutputColumn("instant", "TIMESTAMP WITH TIME ZONE")), out.schema());
        // A plain timestamp is wall-clock time: dropping the offset would change the instant in silence.
        List<String> rejects = Files.readAllLines(out.rejects());
        assertEquals(1, rejects.size(), rejects.toString());
        assertTrue(rejects.get(0).startsWith("{\"line\":2,\"column\":\"plain\",\"error\":\"CAST\",\"reason\":"
                + "\"column \\\"plain\\\": \\\"2026-11-22T10:00:00+02:00\\\" has a UTC offset"), rejects.get(0));
    }

    @Test
    void jsonUtcTimestampsApplyTheirOffsetsToo() throws Exception {
        PipelineDefinition definition = DefinitionReader.read("t.json", """
                {"schemaVersion": 1, "name": "t", "source": {"format": "jsonl"},
                 "columns": [{"name": "at", "type": "timestamp", "timeZone": "UTC"}]}""", null).definition().orElseThrow();
        Path input = work.resolve("input.jsonl");
        Files.writeString(input, "{\"at\": \"2026-11-22T10:00:00-01:00\"}\n");

        ChunkOutput out = new ChunkTransformer(EngineLimits.DEFAULT).transform(definition, input, work);

        assertEquals(micros(LocalDateTime.of(2026, 11, 22, 11, 0)),
                ParquetRows.read(out.parts().get(0).file()).get(0).get("at"));
    }
}
