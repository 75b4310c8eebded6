package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyRoutingTest {

    private static PipelineDefinition definition(String steps, String expectations) {
        var result = DefinitionReader.read("k.json", """
                {"schemaVersion": 1, "name": "k", "source": {"format": "csv"},
                 "columns": [{"name": "id", "type": "long"}, {"name": "day", "type": "date"},
                             {"name": "amount", "type": "double"}, {"name": "code", "type": "string"}],
                 "steps": [%s], "expectations": [%s]}""".formatted(steps, expectations), null);
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    private static final String DEDUPE_ID = "{\"op\": \"dedupe\", \"keys\": [\"id\"], \"orderBy\": [\"day\"]}";

    @Test
    void rowsAreJudgedOneAtATimeWithoutKeyedStepsOrUniqueness() {
        assertEquals(Optional.empty(), KeyRouting.of(definition("{\"op\": \"filter\", \"where\": \"amount > 0\"}",
                "{\"expect\": \"notNull\", \"column\": \"id\"}")));
    }

    @Test
    void theFirstKeyedStepSplitsTheStepsAndRoutesByItsKeys() {
        KeyRouting routing = KeyRouting.of(definition("{\"op\": \"filter\", \"where\": \"amount > 0\"}, " + DEDUPE_ID
                + ", {\"op\": \"derive\", \"columns\": {\"big\": \"amount > 10\"}}, {\"op\": \"aggregate\", "
                + "\"groupBy\": [\"id\", \"day\"], \"measures\": {\"n\": {\"count\": \"*\"}}}",
                "{\"expect\": \"unique\", \"columns\": [\"id\", \"day\"]}")).orElseThrow();

        assertEquals(new KeyRouting(1, List.of("id")), routing);
        assertEquals(4, routing.buckets(4));
    }

    @Test
    void uniquenessAloneRoutesAfterEveryStep() {
        assertEquals(Optional.of(new KeyRouting(1, List.of("code"))), KeyRouting.of(definition(
                "{\"op\": \"filter\", \"where\": \"amount > 0\"}", "{\"expect\": \"unique\", \"column\": \"code\"}")));
    }

    @Test
    void whatCannotBeShownToKeepKeysTogetherGoesToOneBucket() {
        // A later step grouping by other columns, a key recomputed or recast, a sql step: one bucket.
        for (String steps : List.of(
                DEDUPE_ID + ", {\"op\": \"aggregate\", \"groupBy\": [\"day\"], \"measures\": {\"n\": {\"count\": \"*\"}}}",
                DEDUPE_ID + ", {\"op\": \"derive\", \"columns\": {\"id2\": \"id % 10\"}}, {\"op\": \"drop\", "
                        + "\"columns\": [\"id\"]}, {\"op\": \"rename\", \"columns\": {\"id2\": \"id\"}}, " + DEDUPE_ID,
                DEDUPE_ID + ", {\"op\": \"cast\", \"columns\": {\"id\": \"string\"}}, {\"op\": \"dedupe\", \"keys\": "
                        + "[\"id\"], \"orderBy\": [\"day\"]}",
                "{\"op\": \"sql\", \"query\": \"SELECT * FROM input\"}")) {
            KeyRouting routing = KeyRouting.of(definition(steps, "")).orElseThrow();
            assertEquals(List.of(), routing.keys(), steps);
            assertEquals(1, routing.buckets(8), steps);
        }
        KeyRouting otherUnique = KeyRouting.of(definition(DEDUPE_ID, "{\"expect\": \"unique\", \"column\": \"code\"}"))
                .orElseThrow();
        assertEquals(1, otherUnique.buckets(8), "unique on another column needs all rows together");
    }

    @Test
    void theEngineMemoryIsSharedBySlots() {
        EngineLimits limits = new EngineLimits("512MB", 1, 1000);
        assertEquals(new EngineLimits("256MB", 1, 1000), limits.sharedBy(2));
        assertEquals("170.66MB", limits.sharedBy(3).memoryLimit());
        assertEquals(limits, limits.sharedBy(1));
        assertEquals("0.5GiB", new EngineLimits("1GiB", 2).sharedBy(2).memoryLimit());
    }
}
