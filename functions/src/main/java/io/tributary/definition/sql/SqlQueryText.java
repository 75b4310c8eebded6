package io.tributary.definition.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The text of a {@code source.sql} query, read the way its database reads it ({@link SqlDialect}): string literals
 * ({@code '…'} with {@code ''}), quoted names ({@code "…"}), comments ({@code --…}, nested {@code /*…*}{@code /})
 * and, in PostgreSQL, {@code E'…'} strings with {@code \'} and dollar quotes ({@code $tag$…$tag$}), in SQL Server
 * {@code […]} names, are passed over, so only the query's own words count. PostgreSQL reads {@code [} as an array
 * subscript, so {@code ARRAY[']']} holds a string there, not a quoted name. It finds the named parameters
 * ({@code :name}, leaving {@code ::type} casts alone), the first word, the words that write or start another
 * statement, bare JDBC {@code ?} markers and a second statement after a {@code ;}, each with where it stands.
 *
 * <p>This is the check {@code validate} makes; at run time the connection enforces reading on its own (see the
 * {@code extract} package's SQL fetcher), so a text this reader misjudges still cannot write.
 */
public final class SqlQueryText {

    /**
     * Words that write, lock, run code or start another statement: a query that has one outside quotes, where it is
     * not a name, is not one read-only statement. SQL Server needs no {@code ;} between statements, so its statement
     * words count as much as a {@code ;} does (it reserves them all, so as names they are quoted there anyway).
     */
    /** After these a word is a name (a table, a column's alias), whatever it spells: {@code FROM backup}. */
    private static final Set<String> BEFORE_A_NAME = Set.of(".", "AS", "FROM", "JOIN", "INTO");
    /** Table functions that reach another server or the server's files: refused even where a table's name stands. */
    private static final Set<String> ELSEWHERE = Set.of("OPENROWSET", "OPENQUERY", "OPENDATASOURCE", "DBLINK",
            "DBLINK_EXEC");

    private static final Set<String> REFUSED = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "TRUNCATE", "DROP",
            "ALTER", "CREATE", "GRANT", "REVOKE", "DENY", "SET", "RESET", "DECLARE", "EXEC", "EXECUTE", "CALL", "DO",
            "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "COPY", "PREPARE", "DISCARD", "VACUUM", "REINDEX", "REFRESH",
            "LISTEN", "NOTIFY", "WAITFOR", "DBCC", "BACKUP", "RESTORE", "KILL", "SHUTDOWN", "RECONFIGURE");

    private final String jdbcText;
    private final String query;
    private final List<String> parameters;
    private final List<String> words;
    private final List<Integer> wordOffsets;
    private final List<Integer> refusedOffsets;
    private final int positionalMarkers;
    private final OptionalInt secondStatementAt;

    private SqlQueryText(String query, String jdbcText, List<String> parameters, List<String> words,
                         List<Integer> wordOffsets, List<Integer> refusedOffsets, int positionalMarkers,
                         OptionalInt secondStatementAt) {
        this.query = query;
        this.jdbcText = jdbcText;
        this.parameters = List.copyOf(parameters);
        this.words = List.copyOf(words);
        this.wordOffsets = List.copyOf(wordOffsets);
        this.refusedOffsets = List.copyOf(refusedOffsets);
        this.positionalMarkers = positionalMarkers;
        this.secondStatementAt = secondStatementAt;
    }

    /** Reads {@code query} as {@code dialect} reads it. */
    public static SqlQueryText parse(String query, SqlDialect dialect) {
        boolean postgres = dialect == SqlDialect.POSTGRES;
        StringBuilder out = new StringBuilder(query.length());
        List<String> parameters = new ArrayList<>();
        List<String> words = new ArrayList<>();
        List<Integer> wordOffsets = new ArrayList<>();
        List<Integer> refusedOffsets = new ArrayList<>();
        String lastToken = ""; // the last word (upper-case) or other character outside quotes and comments
        List<Integer> pendingSemicolons = new ArrayList<>(); // in out: ';' with only comments and blanks after them
        OptionalInt secondStatementAt = OptionalInt.empty();
        int markers = 0;
        int n = query.length();
        int i = 0;
        while (i < n) {
            char c = query.charAt(i);
            boolean comment = c == '-' && i + 1 < n && query.charAt(i + 1) == '-'
                    || c == '/' && i + 1 < n && query.charAt(i + 1) == '*';
            if (!pendingSemicolons.isEmpty() && !comment && !Character.isWhitespace(c) && c != ';') {
                if (secondStatementAt.isEmpty()) {
                    secondStatementAt = OptionalInt.of(i);
                }
                pendingSemicolons.clear(); // a ';' between statements stays: the text is sent as written
            }
            int end;
            if (c == '-' && i + 1 < n && query.charAt(i + 1) == '-') {
                end = query.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (c == '/' && i + 1 < n && query.charAt(i + 1) == '*') {
                end = blockCommentEnd(query, i);
            } else if (c == '\'') {
                boolean escapes = postgres && i > 0 && (query.charAt(i - 1) == 'E' || query.charAt(i - 1) == 'e')
                        && (i < 2 || !isWordChar(query.charAt(i - 2)));
                end = quotedEnd(query, i, '\'', escapes);
            } else if (c == '"') {
                end = quotedEnd(query, i, '"', false);
            } else if (c == '[' && !postgres) {
                end = quotedEnd(query, i, ']', false);
            } else if (c == '$' && postgres && (i == 0 || !isWordChar(query.charAt(i - 1)))
                    && dollarTagEnd(query, i) > 0) {
                int tagEnd = dollarTagEnd(query, i);
                String tag = query.substring(i, tagEnd);
                int close = query.indexOf(tag, tagEnd);
                end = close < 0 ? n : close + tag.length();
            } else if (c == ':' && i + 1 < n && query.charAt(i + 1) == ':') {
                end = i + 2;
            } else if (c == ':' && i + 1 < n && isWordStart(query.charAt(i + 1))
                    && (i == 0 || query.charAt(i - 1) != ':')) {
                end = i + 2;
                while (end < n && isWordChar(query.charAt(end))) {
                    end++;
                }
                parameters.add(query.substring(i + 1, end));
                out.append('?');
                i = end;
                continue;
            } else if (c == '?') {
                end = i + 1;
                if (end < n && query.charAt(end) == '?') {
                    end++; // '??' is an escaped '?' operator (PostgreSQL's JDBC driver)
                } else {
                    markers++;
                }
            } else if (c == ';') {
                pendingSemicolons.add(out.length());
                end = i + 1;
            } else if (isWordStart(c)) {
                end = i + 1;
                while (end < n && isWordChar(query.charAt(end))) {
                    end++;
                }
                String word = query.substring(i, end).toUpperCase(Locale.ROOT);
                words.add(word);
                wordOffsets.add(i);
                if (ELSEWHERE.contains(word) || REFUSED.contains(word) && !BEFORE_A_NAME.contains(lastToken)) {
                    refusedOffsets.add(i);
                }
            } else {
                end = i + 1;
            }
            if (!comment && !Character.isWhitespace(c)) {
                lastToken = isWordStart(c) ? words.get(words.size() - 1) : String.valueOf(c);
            }
            out.append(query, i, end);
            i = end;
        }
        for (int k = pendingSemicolons.size() - 1; k >= 0; k--) {
            out.deleteCharAt(pendingSemicolons.get(k)); // a trailing ';' ends the query; it is not sent
        }
        return new SqlQueryText(query, out.toString().strip(), parameters, words, wordOffsets, refusedOffsets, markers,
                secondStatementAt);
    }

    /** The query as JDBC runs it: each {@code :name} replaced by {@code ?}, without a trailing {@code ;}. */
    public String jdbcText() {
        return jdbcText;
    }

    /** The parameter names, one for each {@code ?} of {@link #jdbcText()}, in order (a name used twice is listed twice). */
    public List<String> parameters() {
        return parameters;
    }

    /** The first word of the query (upper-case), if it has one. */
    public Optional<String> firstWord() {
        return words.isEmpty() ? Optional.empty() : Optional.of(words.get(0));
    }

    /**
     * The words outside quotes and comments that write, lock, run code or start another statement ({@code INSERT},
     * {@code INTO}, {@code COMMIT}, {@code EXEC}, …), in order.
     */
    public List<String> writingWords() {
        return refusedOffsets.stream().map(offset -> words.get(wordOffsets.indexOf(offset))).distinct().toList();
    }

    /** Where the first of {@link #writingWords()} stands: {@code line 1, column 8}; empty when there is none. */
    public Optional<String> firstWritingWordPosition() {
        return refusedOffsets.stream().findFirst().map(this::position);
    }

    /** How many bare {@code ?} markers the query has (named parameters are {@code :name}). */
    public int positionalMarkers() {
        return positionalMarkers;
    }

    /** Whether a second statement follows a {@code ;}. */
    public boolean multipleStatements() {
        return secondStatementAt.isPresent();
    }

    /** Where the second statement starts: {@code line 1, column 31}; empty when there is one statement. */
    public Optional<String> secondStatementPosition() {
        return secondStatementAt.isPresent() ? Optional.of(position(secondStatementAt.getAsInt())) : Optional.empty();
    }

    /** {@code offset} in the query as {@code line L, column C}, both from 1. */
    private String position(int offset) {
        int line = 1;
        int lineStart = 0;
        for (int k = 0; k < offset; k++) {
            if (query.charAt(k) == '\n') {
                line++;
                lineStart = k + 1;
            }
        }
        return "line " + line + ", column " + (offset - lineStart + 1);
    }

    private static int blockCommentEnd(String query, int start) {
        int depth = 0;
        int i = start;
        while (i < query.length()) {
            if (query.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (query.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return query.length();
    }

    /** The index after the quote that closes the one at {@code start}; a doubled closing quote is part of the text. */
    private static int quotedEnd(String query, int start, char close, boolean backslashEscapes) {
        int i = start + 1;
        while (i < query.length()) {
            char c = query.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == close) {
                if (i + 1 < query.length() && query.charAt(i + 1) == close) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return query.length();
    }

    /** The index after a dollar-quote tag ({@code $$} or {@code $tag$}) at {@code start}, or -1 if there is none. */
    private static int dollarTagEnd(String query, int start) {
        int i = start + 1;
        if (i < query.length() && isWordStart(query.charAt(i))) {
            while (i < query.length() && isWordChar(query.charAt(i)) && query.charAt(i) != '$') {
                i++;
            }
        }
        return i < query.length() && query.charAt(i) == '$' ? i + 1 : -1;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
