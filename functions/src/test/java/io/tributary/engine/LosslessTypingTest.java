package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.testing.ParquetRows;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every declared type against the corpus {@code typing/values.txt}, from every source format: each value is stored
 * exactly as written or its record is rejected with its line and a reason that says why, never rounded, truncated or
 * retyped in silence. Datasets are read back with parquet-java, not with the engine that wrote them.
 */
class LosslessTypingTest {

    /** One corpus line: the column's type (with a zone for a timestamp), the value as JSON, the outcome. */
    record Case(String type, String json, String outcome) {

        boolean isText() {
            return json.startsWith("\"");
        }

        String text() {
            try {
                return new ObjectMapper().readValue(json, String.class);
            } catch (IOException e) {
                throw new IllegalStateException(json, e);
            }
        }

        boolean accepted() {
            return outcome.startsWith("= ");
        }

        String expected() {
            return outcome.substring(2);
        }
    }

    @TempDir
    Path work;

    private final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);

    @TestFactory
    Stream<DynamicTest> everyTypeFromEveryFormat() throws IOException {
        Map<String, List<Case>> byType = new LinkedHashMap<>();
        for (Case c : corpus()) {
            byType.computeIfAbsent(c.type(), t -> new ArrayList<>()).add(c);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String format : List.of("csv", "jsonl", "json", "parquet", "fetched")) {
            for (Map.Entry<String, List<Case>> type : byType.entrySet()) {
                List<Case> cases = type.getValue().stream()
                        .filter(c -> c.isText() || List.of("jsonl", "json", "fetched").contains(format)).toList();
                if (cases.isEmpty()) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(format + ": " + type.getKey(),
                        () -> check(format, type.getKey(), cases)));
            }
        }
        return tests.stream();
    }

    /**
     * A Parquet column whose physical type is wider than the declared one: a value is kept only when the declared
     * type holds it whole.
     */
    @TestFactory
    Stream<DynamicTest> parquetValuesWiderThanTheirColumn() {
        List<String[]> cases = List.of(
                new String[] {"int", "6.0::DOUBLE", "= 6"},
                new String[] {"int", "6.1::DOUBLE", "! is a DOUBLE that int cannot hold"},
                new String[] {"int", "3000000000::BIGINT", "! is a BIGINT that int cannot hold"},
                new String[] {"long", "12.5::DECIMAL(10,2)", "! is a DECIMAL(10,2) that long cannot hold"},
                new String[] {"long", "12.00::DECIMAL(10,2)", "= 12"},
                new String[] {"decimal(5,2)", "1.2345::DECIMAL(10,4)", "! is a DECIMAL(10,4) that decimal(5,2) cannot hold"},
                new String[] {"decimal(5,2)", "1.2300::DECIMAL(10,4)", "= 1.23"},
                new String[] {"decimal(5,2)", "0.1::DOUBLE", "= 0.10"},
                new String[] {"decimal(5,2)", "0.123::DOUBLE", "! is a DOUBLE that decimal(5,2) cannot hold"},
                new String[] {"double", "0.1::FLOAT", "= 0.10000000149011612"},
                new String[] {"boolean", "1::INTEGER", "= true"},
                new String[] {"boolean", "2::INTEGER", "! is a INTEGER that boolean cannot hold"},
                new String[] {"date", "TIMESTAMP '2026-11-07 00:00:00'", "= 2026-11-07"},
                new String[] {"date", "TIMESTAMP '2026-11-07 10:30:00'", "! is a TIMESTAMP that date cannot hold"},
                new String[] {"timestamp", "TIMESTAMP_NS '2026-11-07 10:30:00.123456789'",
                        "! is a TIMESTAMP_NS that timestamp cannot hold"},
                new String[] {"timestamp", "TIMESTAMP_NS '2026-11-07 10:30:00.123456'", "= 2026-11-07T10:30:00.123456"},
                new String[] {"timestamp", "TIMESTAMPTZ '2026-11-07 10:30:00+00'",
                        "! is an instant (a timestamp with a time zone), but the column is a plain timestamp"},
                new String[] {"string", "12.50::DECIMAL(10,2)", "= 12.50"});
        return cases.stream().map(c -> DynamicTest.dynamicTest(c[0] + " from " + c[1], () -> {
            Path dir = Files.createDirectories(work.resolve("typed-" + Math.abs((c[0] + c[1]).hashCode())));
            Path file = dir.resolve("input.parquet");
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
                s.execute("SET TimeZone = 'UTC'");
                s.execute("COPY (SELECT 1::BIGINT AS id, " + c[1] + " AS v) TO '" + file + "' (FORMAT parquet)");
            }
            ChunkOutput out = engine.transform(definition("parquet", c[0]), file, dir);
            if (c[2].startsWith("= ")) {
                assertEquals(0, out.rowsRejected(), Files.readString(out.rejects()));
                assertEquals(c[2].substring(2), canonical(c[0], ParquetRows.read(out.parts().get(0).file()).get(0)
                        .get("v")));
            } else {
                assertEquals(1, out.rowsRejected(), c[1]);
                JsonNode reject = new ObjectMapper().readTree(Files.readAllLines(out.rejects()).get(0));
                assertEquals(1, reject.get("line").asLong());
                assertTrue(reject.get("reason").asText().contains(c[2].substring(2)), reject.toString());
            }
        }));
    }

    /**
     * A CSV record rejected after parsing names the line the reader numbers it by (a record whose quoted field spans
     * lines is one line), and its text as written, past quoted line breaks, blank lines, CRLF and lines the reader
     * rejected itself.
     */
    @TestFactory
    Stream<DynamicTest> csvRejectsFoundAfterParsingNameTheirLineAndText() {
        return Stream.of("\n", "\r\n").map(eol -> DynamicTest.dynamicTest(eol.equals("\n") ? "LF" : "CRLF", () -> {
            String csv = String.join(eol, "id,v", "1,\"multi", "line\"", "", "2,10.9", "3,4,5", "4,\"a \"\"quoted\"\" 7\"",
                    "5,8", "6,1e3", "") ;
            Path dir = Files.createDirectories(work.resolve("lines-" + eol.length()));
            Path input = dir.resolve("input.csv");
            Files.writeString(input, csv);
            PipelineDefinition typed = DefinitionReader.read("t.json", """
                    {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                     "columns": [{"name": "id", "type": "long"}, {"name": "v", "type": "int"}]}""", null)
                    .definition().orElseThrow();
            ChunkOutput out = engine.transform(typed, input, dir);

            assertEquals(6, out.rowsIn());
            assertEquals(5, out.rowsRejected());
            List<JsonNode> rejects = new ArrayList<>();
            for (String line : Files.readAllLines(out.rejects())) {
                rejects.add(new ObjectMapper().readTree(line));
            }
            assertEquals(List.of(2L, 4L, 5L, 6L, 8L), rejects.stream().map(r -> r.get("line").asLong()).toList());
            assertEquals("1,\"multi" + eol + "line\"", rejects.get(0).get("text").asText());
            assertEquals("2,10.9", rejects.get(1).get("text").asText());
            assertEquals("TOO MANY COLUMNS", rejects.get(2).get("error").asText());
            assertEquals("4,\"a \"\"quoted\"\" 7\"", rejects.get(3).get("text").asText());
            assertEquals("6,1e3", rejects.get(4).get("text").asText());
            assertEquals(List.of(Map.of("id", 5L, "v", 8)), ParquetRows.read(out.parts().get(0).file()));
        }));
    }

    /** In CSV a quoted empty field is the empty string and an unquoted one is missing, unless quotedEmpty says null. */
    @TestFactory
    Stream<DynamicTest> aQuotedEmptyFieldIsTheEmptyString() {
        return Stream.of("", ", \"quotedEmpty\": \"string\"", ", \"quotedEmpty\": \"null\"").map(option ->
                DynamicTest.dynamicTest(option.isEmpty() ? "default" : option, () -> {
                    Path dir = Files.createDirectories(work.resolve("empty-" + option.length()));
                    Path input = dir.resolve("input.csv");
                    Files.writeString(input, "id,name,note,qty\n1,\"\",\"\",\"\"\n2,,,\n3,\"NA\",NA,4\n");
                    PipelineDefinition definition = DefinitionReader.read("t.json", """
                            {"schemaVersion": 1, "name": "t", "source": {"format": "csv", "nullString": "NA"%s},
                             "columns": [{"name": "id", "type": "long"}, {"name": "name", "type": "string", "nullable": false},
                                         {"name": "note", "type": "string"}, {"name": "qty", "type": "int"}]}"""
                            .formatted(option), null).definition().orElseThrow();

                    ChunkOutput out = engine.transform(definition, input, dir);

                    List<Map<String, Object>> rows = ParquetRows.read(out.parts().get(0).file());
                    Map<String, Object> quotedNull = new HashMap<>();
                    quotedNull.put("id", 3L);
                    quotedNull.put("name", "NA");
                    quotedNull.put("note", null);
                    quotedNull.put("qty", 4);
                    List<String> rejects = Files.readAllLines(out.rejects());
                    if (option.contains("null")) {
                        assertEquals(List.of(quotedNull), rows);
                        assertEquals(2, rejects.size(), rejects.toString());
                    } else {
                        Map<String, Object> empty = new HashMap<>();
                        empty.put("id", 1L);
                        empty.put("name", "");
                        empty.put("note", "");
                        // In a column of another type, an empty field is missing, quoted or not.
                        empty.put("qty", null);
                        assertEquals(List.of(empty, quotedNull), rows);
                        assertEquals(1, rejects.size(), rejects.toString());
                    }
                    assertTrue(rejects.get(rejects.size() - 1).startsWith("{\"line\":3,\"column\":\"name\",\"error\":"
                            + "\"MISSING VALUE\""), rejects.toString());
                }));
    }

    private void check(String format, String type, List<Case> cases) throws Exception {
        Path dir = Files.createDirectories(work.resolve(format + "-" + type.replaceAll("[^a-z0-9]", "_")));
        Path input = write(format, cases, dir);
        ChunkOutput out = engine.transform(definition(format, type), input, dir);

        Map<Long, String> stored = new HashMap<>();
        if (!out.parts().isEmpty()) {
            for (Map<String, Object> row : ParquetRows.read(out.parts().get(0).file())) {
                stored.put(((Number) row.get("id")).longValue(), canonical(type, row.get("v")));
            }
        }
        Map<Long, JsonNode> rejects = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.rejects())) {
            JsonNode reject = json.readTree(line);
            rejects.put(reject.get("line").asLong(), reject);
        }
        long header = format.equals("csv") ? 1 : 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            long id = i + 1;
            String what = format + " " + type + " " + c.json();
            if (c.accepted()) {
                assertEquals(c.expected(), stored.get(id), what + ": " + rejects.get(id + header));
            } else {
                assertFalse(stored.containsKey(id), what + " was stored as " + stored.get(id));
                JsonNode reject = rejects.get(id + header);
                assertNotNull(reject, what + " has no reject on line " + (id + header) + ": " + rejects);
                assertEquals("v", reject.get("column").asText(), what);
                assertTrue(reject.get("reason").asText().contains(c.expected()), what + ": " + reject);
                assertTrue(reject.get("text").asText().contains(format.equals("parquet") ? c.json() : c.isText()
                        && format.equals("csv") ? c.text() : c.json()), what + ": " + reject);
            }
        }
        assertEquals(cases.stream().filter(c -> !c.accepted()).count(), out.rowsRejected(), format + " " + type);
    }

    private static PipelineDefinition definition(String format, String type) {
        String[] parts = type.split(" ");
        String zone = parts.length > 1 ? ", \"timeZone\": \"" + parts[1] + "\"" : "";
        String source = format.equals("fetched") ? "{\"rest\": {\"url\": \"https://api.example.com/items\"}}"
                : "{\"format\": \"" + format + "\"}";
        String json = """
                {"schemaVersion": 1, "name": "t", "source": %s,
                 "columns": [{"name": "id", "type": "long", "nullable": false},
                             {"name": "v", "type": "%s"%s}]}""".formatted(source, parts[0], zone);
        return DefinitionReader.read("t.json", json, null).definition().orElseThrow(
                () -> new AssertionError(DefinitionReader.read("t.json", json, null).problems()));
    }

    /** The source file: each case a record with its id (from 1) and its value. */
    private static Path write(String format, List<Case> cases, Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        switch (format) {
            case "csv" -> {
                text.append("id,v\n");
                for (int i = 0; i < cases.size(); i++) {
                    text.append(i + 1).append(",\"").append(cases.get(i).text().replace("\"", "\"\"")).append("\"\n");
                }
            }
            case "jsonl", "fetched" -> {
                for (int i = 0; i < cases.size(); i++) {
                    text.append("{\"id\": ").append(i + 1).append(", \"v\": ").append(cases.get(i).json()).append("}\n");
                }
            }
            case "json" -> {
                List<String> records = new ArrayList<>();
                for (int i = 0; i < cases.size(); i++) {
                    records.add("{\"id\": " + (i + 1) + ", \"v\": " + cases.get(i).json() + "}");
                }
                text.append("[\n").append(String.join(",\n", records)).append("\n]\n");
            }
            case "parquet" -> {
                Path file = dir.resolve("input.parquet");
                List<String> rows = new ArrayList<>();
                for (int i = 0; i < cases.size(); i++) {
                    rows.add("(" + (i + 1) + ", '" + cases.get(i).text().replace("'", "''") + "')");
                }
                try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
                    s.execute("COPY (SELECT id::BIGINT AS id, v::VARCHAR AS v FROM (VALUES " + String.join(", ", rows)
                            + ") t(id, v) ORDER BY id) TO '" + file + "' (FORMAT parquet)");
                }
                return file;
            }
            default -> throw new IllegalArgumentException(format);
        }
        Path file = dir.resolve("input." + (format.equals("fetched") ? "jsonl" : format));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** A value read back, printed as the corpus writes it. */
    static String canonical(String type, Object value) {
        if (value == null) {
            return null;
        }
        if (type.startsWith("timestamp")) {
            long micros = (Long) value;
            return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC).toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    static List<Case> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = LosslessTypingTest.class.getResourceAsStream("/typing/values.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int first = line.indexOf(" | ");
                int second = line.indexOf(" | ", first + 3);
                cases.add(new Case(line.substring(0, first), line.substring(first + 3, second), line.substring(second + 3)));
            }
        }
        return cases;
    }
}
