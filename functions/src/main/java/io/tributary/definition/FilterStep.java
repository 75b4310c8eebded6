package io.tributary.definition;

import java.util.List;

/** Keeps the rows for which a SQL boolean expression is true; rows where it is false or null are dropped. */
public record FilterStep(String where) implements Step {

    @Override
    public String toSql(String input) {
        return "SELECT * FROM " + input + " WHERE (" + where + ")";
    }

    @Override
    public List<String> outputColumns(List<String> inputColumns) {
        return inputColumns;
    }
}
