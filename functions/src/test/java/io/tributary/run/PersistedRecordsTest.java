package io.tributary.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Records already in storage read back and write again to the same bytes: a committed {@code _manifest.json} and a
 * chunk's result, each written by an earlier version of Tributary with every field filled in (and nulls where a
 * field may hold none). A change to a record's shape shows up here before it strands what is stored.
 */
class PersistedRecordsTest {

    @ParameterizedTest
    @CsvSource({"manifest.json, io.tributary.run.Manifest", "chunk-result.json, io.tributary.run.ChunkResult"})
    void aStoredRecordReadsAndWritesBackUnchanged(String fixture, Class<?> type) throws IOException {
        String stored = fixture(fixture);

        Object record = Json.read(stored.getBytes(StandardCharsets.UTF_8), type);

        assertEquals(stored, new String(Json.bytes(record), StandardCharsets.UTF_8));
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = PersistedRecordsTest.class.getResourceAsStream("/records/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
