package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.ColumnStatistics;
import io.tributary.run.ExpectationResult;
import io.tributary.run.OutputColumn;
import io.tributary.testing.ParquetRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkTransformerTest {

    @TempDir
    Path work;

    private final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);

    private static PipelineDefinition definition(String steps, String columns) {
        String json = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": %s, "steps": %s}""".formatted(columns, steps);
        return DefinitionReader.read("t.json", json, null).definition().orElseThrow();
    }

    private static final String COLUMNS = """
            [{"name": "id", "type": "long", "nullable": false},
             {"name": "name", "type": "string", "nullable": false},
             {"name": "price", "type": "decimal(8,2)"},
             {"name": "day", "type": "date"}]""";

    private Path input(String csv) throws Exception {
        Path file = work.resolve("input.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void typesFiltersAndSelectsIntoParquet() throws Exception {
        Path in = input("id,name,price,day\n1,apple,1.50,2026-01-02\n2,pear,0.00,2026-01-03\n3,plum,2.25,\n");
        ChunkOutput out = engine.transform(definition(
                "[{\"op\": \"filter\", \"where\": \"price > 0\"}, {\"op\": \"select\", \"columns\": [\"name\", \"price\", \"day\"]}]",
                COLUMNS), in, work);

        assertEquals(3, out.rowsIn());
        assertEquals(2, out.rowsOut());
        assertEquals(0, out.rowsRejected());
        assertEquals(List.of(new OutputColumn("name", "VARCHAR"), new OutputColumn("price", "DECIMAL(8,2)"),
                new OutputColumn("day", "DATE")), out.schema());
        List<Map<String, Object>> rows = ParquetRows.read(out.parts().get(0).file());
        assertEquals(2, rows.size());
        assertEquals("apple", rows.get(0).get("name"));
        assertEquals(new java.math.BigDecimal("1.50"), rows.get(0).get("price"));
        assertEquals(java.time.LocalDate.of(2026, 1, 2), rows.get(0).get("day"));
        assertEquals("plum", rows.get(1).get("name"));
        assertEquals(null, rows.get(1).get("day"));
    }

    @Test
    void theWrittenRowsAreSummarizedPerColumn() throws Exception {
        Path in = input("id,name,price,day\n1,apple,1.50,2026-01-02\n2,pear,,2026-01-03\n3,apple,2.50,\n");
        ChunkOutput out = engine.transform(definition("[]", COLUMNS), in, work);

        var byName = new java.util.HashMap<String, ColumnStatistics>();
        out.statistics().forEach(c -> byName.put(c.name(), c));
        assertEquals(new ColumnStatistics("id", "BIGINT", 3, 0, "1", "3", 2.0, 3), byName.get("id"));
        ColumnStatistics price = byName.get("price");
        assertEquals(3, price.rows());
        assertEquals(1, price.nulls());
        assertEquals("1.50", price.min());
        assertEquals("2.50", price.max());
        assertEquals(2.0, price.mean(), 1e-9);
        ColumnStatistics name = byName.get("name");
        assertEquals(null, name.mean());
        assertEquals(2, name.distinct());
        assertEquals("2026-01-02", byName.get("day").min());
        assertEquals(1, byName.get("day").nulls());
    }

    @Test
    void statisticsOfTwoChunksMerge() {
        ColumnStatistics a = new ColumnStatistics("x", "DOUBLE", 4, 1, "2", "10", 5.0, 3);
        ColumnStatistics b = new ColumnStatistics("x", "DOUBLE", 2, 0, "-1", "9", 2.0, 2);
        assertEquals(new ColumnStatistics("x", "DOUBLE", 6, 1, "-1", "10", 3.8, 3), a.merge(b));
    }

    @Test
    void aDistinctEstimateNeverExceedsTheValuesCounted() {
        // HyperLogLog may overshoot a little: 3 values cannot hold 4 distinct ones.
        assertEquals(3, new ColumnStatistics("x", "BIGINT", 5, 2, "1", "3", 2.0, 4).distinct());
        ColumnStatistics a = new ColumnStatistics("x", "BIGINT", 2, 0, "1", "2", 1.5, 2);
        ColumnStatistics b = new ColumnStatistics("x", "BIGINT", 2, 1, "3", "3", 3.0, 1);
        assertEquals(3, a.mergeDisjoint(b).distinct());
        assertEquals(0, new ColumnStatistics("x", "BIGINT", 4, 4, null, null, null, 1).distinct());
    }

    @Test
    void rowsThatDoNotParseAreRejectedWithLineAndReason() throws Exception {
        Path in = input("id,name,price,day\n1,apple,1.50,2026-01-02\n2,pear,cheap,2026-01-03\n,plum,2.25,2026-01-04\n"
                + "4,,3.00,2026-01-05\n5,fig,4.00,2026-02-30\n");
        ChunkOutput out = engine.transform(definition("[]", COLUMNS), in, work);

        assertEquals(5, out.rowsIn());
        assertEquals(1, out.rowsOut());
        assertEquals(4, out.rowsRejected());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rejects = Files.readAllLines(out.rejects()).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertEquals(4, rejects.size());
        assertEquals(3, rejects.get(0).get("line").asInt());
        assertEquals("price", rejects.get(0).get("column").asText());
        assertTrue(rejects.get(0).get("reason").asText().contains("cheap"), rejects.get(0).toString());
        assertEquals("2,pear,cheap,2026-01-03", rejects.get(0).get("text").asText());
        assertEquals(4, rejects.get(1).get("line").asInt());
        assertEquals("column \"id\" is empty but declared \"nullable\": false", rejects.get(1).get("reason").asText());
        assertEquals(",plum,2.25,2026-01-04", rejects.get(1).get("text").asText());
        // In line order, each with its record as written, whatever found it wanting.
        assertEquals(5, rejects.get(2).get("line").asInt());
        assertEquals("name", rejects.get(2).get("column").asText());
        assertEquals("column \"name\" is empty but declared \"nullable\": false", rejects.get(2).get("reason").asText());
        assertEquals("4,,3.00,2026-01-05", rejects.get(2).get("text").asText());
        assertEquals(6, rejects.get(3).get("line").asInt());
        assertEquals("day", rejects.get(3).get("column").asText());
        assertEquals("5,fig,4.00,2026-02-30", rejects.get(3).get("text").asText());
    }

    @Test
    void aFilterThatCannotRunNamesTheProblem() throws Exception {
        Path in = input("id,name,price,day\n1,apple,1.50,2026-01-02\n");
        TransformFailedException e = assertThrows(TransformFailedException.class, () -> engine.transform(
                definition("[{\"op\": \"filter\", \"where\": \"prise > 0\"}]", COLUMNS), in, work));
        assertTrue(e.getMessage().contains("prise"), e.getMessage());
    }

    @Test
    void anExpressionThatClosesItsParenthesisToAddAColumnIsRefusedBeforeItRuns() throws Exception {
        // The reader here skips the validate-time check: the engine refuses the definition on its own.
        Path in = input("id,name,price,day\n1,apple,1.50,2026-01-02\n");
        TransformFailedException e = assertThrows(TransformFailedException.class, () -> engine.transform(
                definition("[{\"op\": \"derive\", \"columns\": {\"x\": \"1) AS smuggled, (2\"}}]", COLUMNS), in,
                work));
        assertEquals("the definition's SQL at /steps/0/columns/x is not allowed: must be one SQL expression on the row, "
                + "such as \"amount * 2\": it may not close its parenthesis, add a column or a clause, or end inside a "
                + "comment; run 'tributary validate' on the definition", e.getMessage());
    }

    @Test
    void aSqlStepCannotReadTheEnginesOwnTablesThroughAWithTableOfTheSameName() throws Exception {
        Path in = input("id,name,price,day\n1,apple,1.50,2026-01-02\n2,pear,0.00,2026-01-03\n");
        TransformFailedException e = assertThrows(TransformFailedException.class, () -> engine.transform(
                definition("[{\"op\": \"filter\", \"where\": \"price > 0\"}, {\"op\": \"sql\", \"query\": "
                        + "\"WITH parsed AS (SELECT * FROM parsed) SELECT * FROM parsed\"}]", COLUMNS), in, work));
        assertTrue(e.getMessage().startsWith("the definition's SQL at /steps/1/query is not allowed: reads only FROM "
                + "input (the previous step's rows) and the query's own WITH tables; 'parsed' is not a table here"),
                e.getMessage());
    }

    @Test
    void aHeaderThatDoesNotMatchTheDeclaredColumnsFailsInsteadOfMisplacingValues() throws Exception {
        Path in = input("name,id,price,day\napple,1,1.50,2026-01-02\n");
        TransformFailedException e = assertThrows(TransformFailedException.class,
                () -> engine.transform(definition("[]", COLUMNS), in, work));
        assertEquals("the source's header names the columns [name, id, price, day] but the definition declares "
                + "[id, name, price, day], in that order; columns are read by position, so fix the definition's "
                + "\"columns\" (or set \"header\": false for files without a header line, or \"schemaDrift\": "
                + "\"ignore\" or \"evolve\" to match columns by name)", e.getMessage());
    }

    @Test
    void aQuotedHeaderFieldMayHoldTheDelimiter() throws Exception {
        String json = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "full, name", "type": "string"}]}""";
        PipelineDefinition definition = DefinitionReader.read("t.json", json, null).definition().orElseThrow();

        ChunkOutput out = engine.transform(definition, input("id,\"full, name\"\n1,\"Doe, Jane\"\n2,Roe\n"), work);

        assertEquals(List.of(Map.of("id", 1L, "full, name", "Doe, Jane"), Map.of("id", 2L, "full, name", "Roe")),
                ParquetRows.read(out.parts().get(0).file()));
    }

    @Test
    void theHeaderIsReadFromTheFirstLineAloneWhateverItsEncodingDetails() throws Exception {
        String json = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "say \\"hi\\"", "type": "string"}]}""";
        PipelineDefinition definition = DefinitionReader.read("t.json", json, null).definition().orElseThrow();

        ChunkOutput out = engine.transform(definition, input("\uFEFFid, \"say \"\"hi\"\"\"\r\n1,a\r\n2,b,extra\r\n3,c\r\n"),
                work);

        assertEquals(List.of(Map.of("id", 1L, "say \"hi\"", "a"), Map.of("id", 3L, "say \"hi\"", "c")),
                ParquetRows.read(out.parts().get(0).file()));
        assertEquals(1, out.rowsRejected());
    }

    @Test
    void anEmptySourceGivesAnEmptyDataset() throws Exception {
        ChunkOutput out = engine.transform(definition("[]", COLUMNS), input(""), work);
        assertEquals(0, out.rowsIn());
        assertEquals(0, out.rowsOut());
        assertEquals(List.of(), ParquetRows.read(out.parts().get(0).file()));
        assertEquals(List.of("id", "name", "price", "day"), ParquetRows.columns(out.parts().get(0).file()));
    }

    @Test
    void aDeclaredNullStringIsMissingAsIsAnEmptyField() throws Exception {
        String json = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv", "nullString": "NA"},
                 "columns": [{"name": "id", "type": "long", "nullable": false}, {"name": "score", "type": "int"},
                             {"name": "label", "type": "string", "nullable": false}]}""";
        PipelineDefinition definition = DefinitionReader.read("t.json", json, null).definition().orElseThrow();
        Path in = input("id,score,label\n1,NA,a\n2,,b\n3,7,NA\n4,8,\n5,9,c\n");

        ChunkOutput out = engine.transform(definition, in, work);

        List<Map<String, Object>> rows = ParquetRows.read(out.parts().get(0).file());
        assertEquals(List.of(1L, 2L, 5L), rows.stream().map(r -> r.get("id")).toList());
        assertEquals(null, rows.get(0).get("score"));
        assertEquals(null, rows.get(1).get("score"));
        assertEquals(2, out.rowsRejected(), "a missing label rejects rows 3 and 4");
    }

    @Test
    void everyKindOfStepRunsInOrder() throws Exception {
        PipelineDefinition definition = fixture("all-steps.json");
        Path in = input("id,temp_c,site,reading,note\n3,35.0,south,-1,z\n1,30.0,north,5,x\n2,,,7,y\n1,31.0,north,9,w\n");

        ChunkOutput out = engine.transform(definition, in, work);

        assertEquals(List.of(new OutputColumn("id", "BIGINT"), new OutputColumn("site", "VARCHAR"),
                new OutputColumn("fahrenheit", "DOUBLE"), new OutputColumn("hot", "BOOLEAN")), out.schema());
        assertEquals(List.of(
                Map.of("id", 1L, "site", "north", "fahrenheit", 87.8, "hot", true),
                Map.of("id", 2L, "site", "unknown", "fahrenheit", 32.0, "hot", false)), ParquetRows.read(out.parts().get(0).file()));
        assertEquals(4, out.rowsIn());
        assertEquals(2, out.rowsOut());
    }

    @Test
    void anAggregateGivesOneRowPerGroup() throws Exception {
        Path in = input("customer_id,amount,returned\nC-1,10.00,false\nC-2,5.50,true\nC-1,20.00,true\n");

        ChunkOutput out = engine.transform(fixture("aggregate.json"), in, work);

        List<Map<String, Object>> rows = ParquetRows.read(out.parts().get(0).file());
        assertEquals(List.of("customer_id", "orders", "spent", "largest", "return_rate"),
                ParquetRows.columns(out.parts().get(0).file()));
        assertEquals(List.of(
                Map.of("customer_id", "C-1", "orders", 2L, "spent", new java.math.BigDecimal("30.00"),
                        "largest", new java.math.BigDecimal("20.00"), "return_rate", 0.5),
                Map.of("customer_id", "C-2", "orders", 1L, "spent", new java.math.BigDecimal("5.50"),
                        "largest", new java.math.BigDecimal("5.50"), "return_rate", 1.0)), rows);
        assertEquals(3, out.rowsIn());
        assertEquals(2, out.rowsOut());
    }

    @Test
    void csvAndJsonLinesOutputsCarryTheSameRows() throws Exception {
        String base = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}],
                 "output": %s}""";
        Path in = input("id,name\n1,apple\n2,\"pear, ripe\"\n");
        PipelineDefinition csv = DefinitionReader.read("t.json", base.formatted("{\"format\": \"csv\"}"), null)
                .definition().orElseThrow();
        ChunkOutput csvOut = engine.transform(csv, in, work);
        assertEquals("data", csvOut.parts().get(0).split().text());
        assertEquals(2, csvOut.parts().get(0).rows());
        assertEquals("id,name\n1,apple\n2,\"pear, ripe\"\n", Files.readString(csvOut.parts().get(0).file()));

        PipelineDefinition jsonl = DefinitionReader.read("t.json", base.formatted(
                "{\"format\": \"jsonl\", \"compression\": \"gzip\"}"), null).definition().orElseThrow();
        assertEquals(".jsonl.gz", jsonl.output().extension());
        Path again = Files.createDirectories(work.resolve("again"));
        Path input2 = Files.copy(in, again.resolve("input.csv"));
        ChunkOutput jsonOut = engine.transform(jsonl, input2, again);
        try (var gzip = new java.util.zip.GZIPInputStream(Files.newInputStream(jsonOut.parts().get(0).file()))) {
            assertEquals("{\"id\":1,\"name\":\"apple\"}\n{\"id\":2,\"name\":\"pear, ripe\"}\n",
                    new String(gzip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCastThatDoesNotConvertFailsTheChunkNamingTheValue() throws Exception {
        String json = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "code", "type": "string"}],
                 "steps": [{"op": "cast", "columns": {"code": "int"}}]}""";
        PipelineDefinition definition = DefinitionReader.read("t.json", json, null).definition().orElseThrow();
        TransformFailedException e = assertThrows(TransformFailedException.class,
                () -> engine.transform(definition, input("id,code\n1,12\n2,A7\n"), work));
        assertTrue(e.getMessage().contains("A7"), e.getMessage());
    }

    /** The split a customer must land in, computed here from the documented hash, not by the engine. */
    private static String expectedSplit(String customer) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("MD5")
                .digest(("7\u001f" + customer).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] littleEndian = new byte[16];
        for (int i = 0; i < 16; i++) {
            littleEndian[i] = digest[15 - i];
        }
        long bucket = new java.math.BigInteger(1, littleEndian).mod(java.math.BigInteger.valueOf(1_000_000)).longValue();
        return bucket < 800_000 ? "train" : bucket < 900_000 ? "validation" : "test";
    }

    @Test
    void aSplitSendsEachEntityToTheSplitItsKeysHashTo() throws Exception {
        PipelineDefinition definition = fixture("split.json");
        StringBuilder csv = new StringBuilder("customer,n\n");
        for (int row = 0; row < 3000; row++) {
            csv.append("C-").append(row % 600).append(',').append(row).append('\n');
        }

        ChunkOutput out = engine.transform(definition, input(csv.toString()), work);

        java.util.Map<String, java.util.Set<String>> splitsOfCustomer = new java.util.HashMap<>();
        java.util.Map<String, Long> rowsPerSplit = new java.util.HashMap<>();
        for (ChunkOutput.Part part : out.parts()) {
            List<Map<String, Object>> rows = ParquetRows.read(part.file());
            assertEquals(List.of("customer", "n", "n2"), ParquetRows.columns(part.file()));
            assertEquals(rows.size(), part.rows());
            for (Map<String, Object> row : rows) {
                splitsOfCustomer.computeIfAbsent((String) row.get("customer"), c -> new java.util.HashSet<>())
                        .add(part.split().text());
                rowsPerSplit.merge(part.split().text(), 1L, Long::sum);
            }
        }
        assertEquals(600, splitsOfCustomer.size());
        java.util.Map<String, Long> expected = new java.util.HashMap<>();
        for (var entry : splitsOfCustomer.entrySet()) {
            assertEquals(java.util.Set.of(expectedSplit(entry.getKey())), entry.getValue(), entry.getKey());
            expected.merge(expectedSplit(entry.getKey()), 5L, Long::sum);
        }
        assertEquals(expected, rowsPerSplit);
        assertEquals(3000, out.rowsOut());
        assertTrue(rowsPerSplit.get("train") > 2100 && rowsPerSplit.get("train") < 2700, rowsPerSplit.toString());
    }

    @Test
    void aSplitWithoutRowsGetsNoFileAndStatisticsCoverOnlyTheWrittenColumns() throws Exception {
        ChunkOutput out = engine.transform(fixture("split.json"), input("customer,n\nC-1,1\nC-1,2\nC-1,\nC-1,3\n"), work);

        assertEquals(List.of(expectedSplit("C-1")), out.parts().stream().map(p -> p.split().text()).toList());
        Path file = out.parts().get(0).file();
        assertEquals(4, out.parts().get(0).rows());
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
        assertEquals(List.of("customer", "n", "n2"), out.statistics().stream().map(ColumnStatistics::name).toList());
        assertEquals(new ColumnStatistics("n2", "INTEGER", 4, 1, "2", "6", 4.0, 3), out.statistics().get(2));
        assertEquals(new ColumnStatistics("customer", "VARCHAR", 4, 0, "C-1", "C-1", null, 1), out.statistics().get(0));
    }

    @Test
    void statisticsOfCsvOutputKeepTheColumnsTypes() throws Exception {
        String json = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "code", "type": "string"}],
                 "output": {"format": "csv"}}""";
        PipelineDefinition definition = DefinitionReader.read("t.json", json, null).definition().orElseThrow();

        ChunkOutput out = engine.transform(definition, input("id,code\n1,10\n2,9\n"), work);

        assertEquals(2, out.parts().get(0).rows());
        // Read back and sniffed, the codes would have become numbers: 9 to 10, with a mean.
        assertEquals(new ColumnStatistics("code", "VARCHAR", 2, 0, "10", "9", null, 2), out.statistics().get(1));
    }

    @Test
    void rejectsListLinesThatDoNotParseThenMissingValuesAndDroppedRows() throws Exception {
        String json = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long", "nullable": false},
                             {"name": "name", "type": "string", "nullable": false}, {"name": "temp", "type": "double"}],
                 "expectations": [{"expect": "between", "column": "temp", "min": 0, "max": 50, "onFailure": "drop"},
                                  {"expect": "rowCount", "min": 1, "onFailure": "warn"}]}""";
        PipelineDefinition definition = DefinitionReader.read("t.json", json, null).definition().orElseThrow();

        ChunkOutput out = engine.transform(definition, input("id,name,temp\n1,a,10\nx,b,20\n3,,30\n4,d,99\n5,e,5\n"),
                work);

        assertEquals(5, out.rowsIn());
        assertEquals(2, out.rowsOut());
        assertEquals(3, out.rowsRejected());
        assertEquals(List.of(new ExpectationResult("between(temp)", "between", "drop", 1, null),
                new ExpectationResult("rowCount", "rowCount", "warn", 0, 2L)), out.expectations());
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> rejects = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(out.rejects())) {
            rejects.add(mapper.readTree(line));
        }
        assertEquals(3, rejects.size());
        assertEquals(3, rejects.get(0).get("line").asInt());
        assertEquals("x,b,20", rejects.get(0).get("text").asText());
        // A missing value is found after parsing, and still names its line and the record as written.
        assertEquals(4, rejects.get(1).get("line").asInt());
        assertEquals("MISSING VALUE", rejects.get(1).get("error").asText());
        assertEquals("column \"name\" is empty but declared \"nullable\": false", rejects.get(1).get("reason").asText());
        assertEquals("3,,30", rejects.get(1).get("text").asText());
        assertEquals("EXPECTATION", rejects.get(2).get("error").asText());
        assertEquals("expectation 'between(temp)' failed", rejects.get(2).get("reason").asText());
    }

    private static PipelineDefinition fixture(String name) throws Exception {
        Path file = Path.of(System.getProperty("tributary.root", "."),
                "functions/src/test/resources/definitions/valid/" + name);
        return DefinitionReader.read(name, Files.readString(file), null).definition().orElseThrow();
    }

    @Test
    void expectationsDropWarnAndCountAsTheyAreTold() throws Exception {
        Path in = input("id,device,temp,status\n1,dev-1,20.5,ok\n2,,21.0,ok\n3,dev-3,99.0,ok\n4,dev-4,-35,broken\n"
                + "4,sensor-x,10,ok\n5,dev-5,,degraded\n");

        ChunkOutput out = engine.transform(fixture("expectations.json"), in, work);

        assertEquals(List.of(1L, 4L, 4L, 5L), ParquetRows.read(out.parts().get(0).file()).stream()
                .map(r -> r.get("id")).toList());
        assertEquals(6, out.rowsIn());
        assertEquals(4, out.rowsOut());
        assertEquals(2, out.rowsRejected());
        assertEquals(List.of(
                new ExpectationResult("notNull(device)", "notNull", "drop", 1, null),
                new ExpectationResult("between(temp)", "between", "drop", 1, null),
                new ExpectationResult("inSet(status)", "inSet", "warn", 1, null),
                new ExpectationResult("matches(device)", "matches", "warn", 1, null),
                new ExpectationResult("warm enough", "expr", "warn", 2, null),
                new ExpectationResult("unique(id)", "unique", "warn", 2, null),
                new ExpectationResult("rowCount", "rowCount", "fail", 0, 4L)), out.expectations());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rejects = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(out.rejects())) {
            rejects.add(json.readTree(line));
        }
        assertEquals(List.of("expectation 'notNull(device)' failed", "expectation 'between(temp)' failed"),
                rejects.stream().map(r -> r.get("reason").asText()).sorted(java.util.Comparator.reverseOrder()).toList());
        // A dropped row names its line and its record as written, as a row that did not parse does.
        assertEquals(List.of(3L, 4L), rejects.stream().map(r -> r.get("line").asLong()).toList());
        assertEquals("3,dev-3,99.0,ok", rejects.get(1).get("text").asText());
    }

    @Test
    void aColumnMayHaveAnyNameEvenWhenRowsAreDropped() throws Exception {
        String definition = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "v", "type": "long"}, {"name": "r", "type": "string"}],
                 "expectations": [{"expect": "notNull", "column": "r", "onFailure": "drop"}]}""";
        PipelineDefinition parsed = DefinitionReader.read("t.json", definition, null).definition().orElseThrow();
        ChunkOutput out = engine.transform(parsed, input("v,r\n1,a\n2,\n"), work);
        assertEquals(1, out.rowsOut());
        assertEquals(1, out.rowsRejected());
        assertEquals("{\"line\":3,\"column\":null,\"error\":\"EXPECTATION\",\"reason\":\"expectation 'notNull(r)' failed\","
                + "\"text\":\"2,\"}", Files.readString(out.rejects()).strip());
    }

    @Test
    void aFailingExpectationFailsTheChunkNamingARow() throws Exception {
        String definition = """
                {"schemaVersion": 1, "name": "t", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "device", "type": "string"}],
                 "expectations": [{"expect": "notNull", "column": "device"}]}""";
        PipelineDefinition parsed = DefinitionReader.read("t.json", definition, null).definition().orElseThrow();
        TransformFailedException e = assertThrows(TransformFailedException.class,
                () -> engine.transform(parsed, input("id,device\n1,dev-1\n2,\n"), work));
        assertEquals("expectation 'notNull(device)' failed on 1 row, e.g. {\"id\":2,\"device\":null}", e.getMessage());
    }

    @Test
    void refusesInputOutsideItsWorkingDirectory(@TempDir Path elsewhere) throws Exception {
        Path in = elsewhere.resolve("x.csv");
        Files.writeString(in, "id,name,price,day\n");
        assertThrows(IllegalArgumentException.class, () -> engine.transform(definition("[]", COLUMNS), in, work));
    }
}
