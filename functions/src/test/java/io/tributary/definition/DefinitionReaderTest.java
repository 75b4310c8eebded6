package io.tributary.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.column.Column;
import io.tributary.definition.column.ColumnType;
import io.tributary.definition.read.Problem;
import io.tributary.definition.step.FilterStep;
import io.tributary.definition.step.Step;
import io.tributary.definition.trigger.DatasetTrigger;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fixture folders drive these: every valid definition reads; every invalid one gives exactly its expected problems. */
class DefinitionReaderTest {

    static Path fixtures(String kind) throws URISyntaxException {
        return Path.of(DefinitionReaderTest.class.getResource("/definitions/" + kind).toURI());
    }

    static Stream<Path> valid() throws Exception {
        return Files.list(fixtures("valid")).filter(f -> f.toString().endsWith(".json")).sorted();
    }

    static Stream<Path> invalid() throws Exception {
        return Files.list(fixtures("invalid")).filter(f -> f.toString().endsWith(".json")).sorted();
    }

    private static DefinitionResult read(Path file) throws IOException {
        String name = file.getFileName().toString().replace(".json", "");
        return DefinitionReader.read(file.getFileName().toString(), Files.readString(file), name);
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validDefinitionsRead(Path file) throws Exception {
        DefinitionResult result = read(file);
        assertEquals(List.of(), result.problems());
        assertTrue(result.definition().isPresent());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidDefinitionsReportExactlyTheirProblems(Path file) throws Exception {
        DefinitionResult result = read(file);
        List<String> expected = Files.readAllLines(Path.of(file.toString().replace(".json", ".expected")));
        assertEquals(expected, result.problems().stream().map(Problem::format).toList());
        assertFalse(result.definition().isPresent());
    }

    @Test
    void theSamplePipelineReadsIntoItsModel() throws Exception {
        PipelineDefinition orders = read(fixtures("valid").resolve("orders.json")).definition().orElseThrow();
        assertEquals("orders", orders.name());
        assertTrue(orders.fileDrop().orElseThrow().matches("orders/export-1.csv"));
        assertFalse(orders.fileDrop().orElseThrow().matches("orders/2026/export-1.csv"));
        assertFalse(orders.fileDrop().orElseThrow().matches("orders/export-1.json"));
        assertEquals(new Column("amount", new ColumnType("decimal", 10, 2), false), orders.columns().get(3));
        assertEquals(new FilterStep("amount > 0 AND currency = 'EUR'"), orders.steps().get(0));
        assertEquals(java.util.Optional.of(List.of("order_id", "customer_id", "order_date", "amount", "channel",
                "items", "returned")), orders.outputColumns());
        assertTrue(orders.hash().matches("sha256:[0-9a-f]{64}"), orders.hash());
    }

    @Test
    void theHashIgnoresLayoutButNotContent() {
        String a = "{\"schemaVersion\": 1, \"name\": \"x\", \"source\": {\"format\": \"csv\"}, "
                + "\"columns\": [{\"name\": \"id\", \"type\": \"long\"}]}";
        String b = "{\n  \"name\": \"x\",\n  \"schemaVersion\": 1,\n  \"columns\": [{\"type\": \"long\", \"name\": \"id\"}],"
                + "\n  \"source\": {\"format\": \"csv\"}\n}";
        String c = a.replace("long", "int");
        String hashA = DefinitionReader.read("a", a, null).definition().orElseThrow().hash();
        assertEquals(hashA, DefinitionReader.read("b", b, null).definition().orElseThrow().hash());
        assertFalse(hashA.equals(DefinitionReader.read("c", c, null).definition().orElseThrow().hash()));
    }

    @Test
    void aCatalogKeepsTheGoodDefinitionsAndReportsTheBad() throws Exception {
        PipelineCatalog catalog = PipelineCatalog.load(List.of(fixtures("valid").resolve("orders.json"),
                fixtures("invalid").resolve("unknown-step.json")), DefinitionCheck.NONE,
                DefinitionAccess.DEFAULT);
        assertEquals(List.of("orders"), catalog.all().stream().map(PipelineDefinition::name).toList());
        assertEquals(1, catalog.problems().size());
        assertEquals(List.of("orders"), catalog.listeningTo("orders/a.csv").stream().map(PipelineDefinition::name).toList());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> catalog.get("ordres"));
        assertEquals("no pipeline named 'ordres'; did you mean 'orders'?; available: orders", e.getMessage());
        IllegalArgumentException broken = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> catalog.get("unknown-step"));
        assertTrue(broken.getMessage().startsWith("pipeline 'unknown-step' has 1 problem and was not loaded, first "),
                broken.getMessage());
        assertTrue(broken.getMessage().endsWith("unknown op 'filtre'; did you mean 'filter'?; allowed: "
                + String.join(", ", Step.OPS) + " ('tributary validate' lists them all)"),
                broken.getMessage());
    }

    @Test
    void aDatasetTriggerNeedsAnUpstreamThatExistsAndNoCycle(@org.junit.jupiter.api.io.TempDir Path folder)
            throws Exception {
        String consumer = "{\n  \"schemaVersion\": 1,\n  \"name\": \"%s\",\n"
                + "  \"trigger\": { \"type\": \"dataset\", \"pipeline\": \"%s\" },\n"
                + "  \"source\": { \"format\": \"parquet\" }\n}\n";
        Files.copy(fixtures("valid").resolve("orders.json"), folder.resolve("orders.json"));
        Files.writeString(folder.resolve("features.json"), String.format(consumer, "features", "orders"));
        Files.writeString(folder.resolve("typo.json"), String.format(consumer, "typo", "ordres"));
        Files.writeString(folder.resolve("ping.json"), String.format(consumer, "ping", "pong"));
        Files.writeString(folder.resolve("pong.json"), String.format(consumer, "pong", "ping"));
        Files.writeString(folder.resolve("lines.json"), "{\"schemaVersion\": 1, \"name\": \"lines\", \"source\": "
                + "{\"format\": \"csv\"}, \"output\": {\"format\": \"jsonl\"}}");
        Files.writeString(folder.resolve("from-lines.json"), String.format(consumer, "from-lines", "lines"));
        PipelineCatalog catalog = PipelineCatalog.load(folder, DefinitionCheck.NONE, DefinitionAccess.DEFAULT);
        assertEquals(List.of("features", "lines", "orders"), catalog.all().stream().map(PipelineDefinition::name)
                .toList());
        assertEquals(List.of("features"), catalog.consumersOf("orders").stream().map(PipelineDefinition::name).toList());
        assertEquals(new DatasetTrigger("orders", List.of()), catalog.get("features").dataset().orElseThrow());
        assertEquals(List.of(
                folder.resolve("from-lines.json") + ":4:47: /trigger/pipeline: pipeline 'lines' writes jsonl; a dataset "
                        + "trigger reads Parquet parts, so give 'lines' \"output\": {\"format\": \"parquet\"} or "
                        + "consume another pipeline",
                folder.resolve("ping.json") + ":4:47: /trigger/pipeline: the dataset triggers form a cycle: ping → pong "
                        + "→ ping; each commit would start the next run forever, so break it (a pipeline cannot consume "
                        + "its own dataset, nor one made from it)",
                folder.resolve("pong.json") + ":4:47: /trigger/pipeline: the dataset triggers form a cycle: pong → ping "
                        + "→ pong; each commit would start the next run forever, so break it (a pipeline cannot consume "
                        + "its own dataset, nor one made from it)",
                folder.resolve("typo.json") + ":4:47: /trigger/pipeline: no pipeline named 'ordres'; did you mean "
                        + "'orders'?; a dataset trigger names the pipeline whose commits start runs, one of: features, "
                        + "from-lines, lines, orders, ping, pong"),
                catalog.problems().stream().map(Problem::format).toList());
    }
}
