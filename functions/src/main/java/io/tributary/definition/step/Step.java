package io.tributary.definition.step;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One transformation, applied in order to the rows that survived parsing; named in a definition by {@code op}. */
public sealed interface Step permits SelectStep, DropStep, RenameStep, CastStep, FilterStep, DeriveStep, FillNullStep,
        DedupeStep, AggregateStep, LookupStep, FlattenStep, SqlStep {

    /** The {@code op} names a definition may use. */
    List<String> OPS = List.of("select", "drop", "rename", "cast", "filter", "derive", "fillNull", "dedupe",
            "aggregate", "lookup", "flatten", "sql");

    /** This step's {@code op}. */
    String op();

    /** The column names this step produces from {@code input}'s, or empty when only the engine can tell. */
    Optional<List<String>> outputColumns(List<String> input);

    /** The SQL expressions written in this step, keyed by the JSON pointer (below the step) where each stands. */
    default Map<String, String> expressions() {
        return Map.of();
    }
}
