package io.tributary.cli;

import io.tributary.run.PrintableText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people: a header, a rule, and rows whose columns are as wide as their widest cell. Numbers line up
 * on the right, words on the left; an empty table prints nothing. Cells come from names and data, so their control
 * characters print escaped ({@link PrintableText}).
 */
final class TextTable {

    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param headers each column's heading; a heading that starts with {@code >} is right-aligned (the {@code >}
     *                is not printed)
     */
    TextTable(String... headers) {
        this.headers = new ArrayList<>();
        this.rightAligned = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            rightAligned[i] = headers[i].startsWith(">");
            this.headers.add(PrintableText.escape(rightAligned[i] ? headers[i].substring(1) : headers[i]));
        }
    }

    /** A count as the command line and the dashboard print it: {@code 1,234,567}. */
    static String number(long count) {
        return String.format(java.util.Locale.US, "%,d", count);
    }

    /** A count of things, as a sentence says it: {@code 1 file}, {@code 1,234 files}. */
    static String count(long count, String noun) {
        return number(count) + " " + noun + (count == 1 ? "" : "s");
    }

    /**
     * Adds a row; null cells print empty, whole numbers with thousands separators (as the dashboard prints them), text
     * with its control characters escaped, and a row may be shorter than the header.
     */
    TextTable add(Object... cells) {
        if (cells.length > headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.size()
                    + " columns");
        }
        String[] row = new String[headers.size()];
        Arrays.fill(row, "");
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "" : cells[i] instanceof Long || cells[i] instanceof Integer
                    ? number(((Number) cells[i]).longValue()) : PrintableText.escape(cells[i].toString());
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table as lines, each starting with {@code indent}, without trailing blanks. */
    List<String> lines(String indent) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(indent, headers.toArray(String[]::new), widths));
        String[] rule = new String[widths.length];
        for (int i = 0; i < widths.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        lines.add(line(indent, rule, widths));
        for (String[] row : rows) {
            lines.add(line(indent, row, widths));
        }
        return lines;
    }

    void print(PrintStream out, String indent) {
        if (!rows.isEmpty()) {
            lines(indent).forEach(out::println);
        }
    }

    private String line(String indent, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[i] - cells[i].length());
            line.append(rightAligned[i] ? pad + cells[i] : cells[i] + pad);
        }
        return line.toString().stripTrailing();
    }
}
