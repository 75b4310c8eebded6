package io.tributary.definition;

import java.util.List;

/** One transformation applied, in order, to the rows that survived parsing. */
public sealed interface Step permits FilterStep, SelectStep {

    /** The step kinds a definition may name in {@code "type"}. */
    List<String> KINDS = List.of("filter", "select");

    /** A DuckDB query that applies this step to the relation named {@code input}. */
    String toSql(String input);

    /** The columns this step produces, given the columns it receives. */
    List<String> outputColumns(List<String> inputColumns);
}
