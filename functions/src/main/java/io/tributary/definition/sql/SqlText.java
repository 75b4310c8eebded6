package io.tributary.definition.sql;

/** Quoting for the SQL that the definition and the engine generate: the one place that escapes names and text. */
public final class SqlText {

    private SqlText() {
    }

    /** A quoted identifier: {@code "name"}, with embedded quotes doubled. */
    public static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A string literal: {@code 'text'}, with embedded quotes doubled. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
