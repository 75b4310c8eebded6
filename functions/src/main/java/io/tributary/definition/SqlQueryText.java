package io.tributary.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The text of a {@code source.sql} query, read the way a database reads it: string literals ({@code '…'}, with
 * {@code ''} and, in {@code E'…'}, {@code \'}), PostgreSQL's dollar quotes ({@code $tag$…$tag$}), quoted identifiers
 * ({@code "…"} and {@code […]}), and comments ({@code --…}, nested {@code /*…*}{@code /}) are passed over, so only the
 * query's own words count. It finds the named parameters ({@code :name}, leaving {@code ::type} casts alone), the
 * first word, the words that write, bare JDBC {@code ?} markers and a second statement after a {@code ;}.
 */
public final class SqlQueryText {

    /** Words that write or lock: a query that has one outside quotes is not read-only. */
    private static final Set<String> WRITING = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "TRUNCATE", "DROP",
            "ALTER", "CREATE", "GRANT", "REVOKE");

    private final String jdbcText;
    private final List<String> parameters;
    private final List<String> words;
    private final int positionalMarkers;
    private final boolean multipleStatements;

    private SqlQueryText(String jdbcText, List<String> parameters, List<String> words, int positionalMarkers,
                         boolean multipleStatements) {
        this.jdbcText = jdbcText;
        this.parameters = List.copyOf(parameters);
        this.words = List.copyOf(words);
        this.positionalMarkers = positionalMarkers;
        this.multipleStatements = multipleStatements;
    }

    /** Reads {@code query}. */
    public static SqlQueryText parse(String query) {
        StringBuilder out = new StringBuilder(query.length());
        List<String> parameters = new ArrayList<>();
        List<String> words = new ArrayList<>();
        int markers = 0;
        boolean afterSemicolon = false;
        int n = query.length();
        int i = 0;
        while (i < n) {
            char c = query.charAt(i);
            int end;
            if (c == '-' && i + 1 < n && query.charAt(i + 1) == '-') {
                end = query.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (c == '/' && i + 1 < n && query.charAt(i + 1) == '*') {
                end = blockCommentEnd(query, i);
            } else if (afterSemicolon && !Character.isWhitespace(c)) {
                // something other than whitespace or a comment follows a ';'
                return new SqlQueryText(out.toString(), parameters, words, markers, true);
            } else if (c == '\'') {
                boolean escapes = i > 0 && (query.charAt(i - 1) == 'E' || query.charAt(i - 1) == 'e')
                        && (i < 2 || !isWordChar(query.charAt(i - 2)));
                end = quotedEnd(query, i, '\'', escapes);
            } else if (c == '"') {
                end = quotedEnd(query, i, '"', false);
            } else if (c == '[') {
                end = quotedEnd(query, i, ']', false);
            } else if (c == '$' && (i == 0 || !isWordChar(query.charAt(i - 1))) && dollarTagEnd(query, i) > 0) {
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
                afterSemicolon = true; // not copied: a trailing ';' is dropped
                i++;
                continue;
            } else if (isWordStart(c)) {
                end = i + 1;
                while (end < n && isWordChar(query.charAt(end))) {
                    end++;
                }
                words.add(query.substring(i, end).toUpperCase(Locale.ROOT));
            } else {
                end = i + 1;
            }
            out.append(query, i, end);
            i = end;
        }
        return new SqlQueryText(out.toString().strip(), parameters, words, markers, false);
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

    /** The words outside quotes and comments that write or lock ({@code INSERT}, {@code INTO}, …), in order. */
    public List<String> writingWords() {
        return words.stream().filter(WRITING::contains).distinct().toList();
    }

    /** How many bare {@code ?} markers the query has (named parameters are {@code :name}). */
    public int positionalMarkers() {
        return positionalMarkers;
    }

    /** Whether a second statement follows a {@code ;}. */
    public boolean multipleStatements() {
        return multipleStatements;
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
