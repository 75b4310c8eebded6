package io.tributary.definition.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the fields of one definition's JSON tree, collecting a {@link Problem}, located at its JSON
 * pointer, for every field that is missing, unknown or of the wrong type.
 */
public final class Fields {

    private final String file;
    private final LocatedJson json;
    private final List<Problem> problems = new ArrayList<>();

    /** Reads fields of {@code json}, naming {@code file} in the problems it reports. */
    public Fields(String file, LocatedJson json) {
        this.file = file;
        this.json = json;
    }

    /** The document the fields are read from. */
    public LocatedJson json() {
        return json;
    }

    /** Every problem reported so far, in the order it was reported. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** Checks that {@code node} is an object with only {@code allowed} fields; reports and returns false if not. */
    public boolean object(JsonNode node, String at, Set<String> allowed) {
        if (!node.isObject()) {
            problem(at, "expected an object, found " + describe(node));
            return false;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                problemAtKey(at + "/" + LocatedJson.escape(field), "unknown field '" + field + "'"
                        + Suggestions.didYouMean(field, allowed) + "; allowed here: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
        return true;
    }

    /**
     * The string {@code field} of {@code parent} (at {@code at}); null, after a problem, when it is not a string, or
     * when it is absent or null (a problem only if {@code required}).
     */
    public String string(JsonNode parent, String at, String field, boolean required) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                problem(at, "missing required field '" + field + "'");
            }
            return null;
        }
        if (!value.isTextual()) {
            problem(at + "/" + field, "expected a string, found " + describe(value));
            return null;
        }
        return value.asText();
    }

    /** The boolean {@code field} of {@code parent}; {@code fallback} when absent or, after a problem, not a boolean. */
    public boolean bool(JsonNode parent, String at, String field, boolean fallback) {
        JsonNode value = parent.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            problem(at + "/" + field, "expected true or false, found " + describe(value));
            return fallback;
        }
        return value.asBoolean();
    }

    /**
     * The one-character string {@code field} of {@code parent}; {@code fallback} when absent or, after a problem, not
     * one character.
     */
    public char character(JsonNode parent, String at, String field, char fallback) {
        String value = string(parent, at, field, false);
        if (value == null) {
            return fallback;
        }
        if (value.length() != 1) {
            problem(at + "/" + field, "expected a single character, found \"" + value + "\"");
            return fallback;
        }
        return value.charAt(0);
    }

    /** The IANA time zone {@code zone}; empty, after a problem at {@code at} with a "did you mean", when unknown. */
    public Optional<ZoneId> zoneId(String zone, String at) {
        if (!zone.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(zone)) {
            List<String> known = ZoneId.getAvailableZoneIds().stream().sorted().toList();
            problem(at, "unknown time zone '" + zone + "'" + Suggestions.didYouMean(zone, known)
                    + "; use a name from the IANA time zone database, such as \"Europe/Berlin\" or \"UTC\"");
            return Optional.empty();
        }
        return Optional.of(ZoneId.of(zone));
    }

    /** A problem with the value at {@code pointer}. */
    public void problem(String pointer, String message) {
        report(pointer, false, message);
    }

    /** A problem with the field name at {@code pointer} (an unknown field). */
    public void problemAtKey(String pointer, String message) {
        report(pointer, true, message);
    }

    private void report(String pointer, boolean atKey, String message) {
        int[] at = json.position(pointer, atKey);
        problems.add(new Problem(file, at[0], at[1], pointer, shortened(message)));
    }

    /** The most a problem's message says; what it quotes of a long value is cut to its ends. */
    static final int MAX_MESSAGE = 2_000;
    private static final java.util.regex.Pattern LONG_WORD = java.util.regex.Pattern.compile("\\S{161,}");

    /** {@code message} with each run of over 160 characters cut to its ends, and at most {@link #MAX_MESSAGE} long. */
    static String shortened(String message) {
        String cut = LONG_WORD.matcher(message).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group().substring(0, 120) + "…(" + m.group().length() + " characters)…"
                        + m.group().substring(m.group().length() - 20)));
        return cut.length() <= MAX_MESSAGE ? cut : cut.substring(0, MAX_MESSAGE - 600) + " … "
                + cut.substring(cut.length() - 597);
    }

    /** What {@code node} is, for a message that says what was found: "an object", "the string \"x\"", "42". */
    public static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "the string \"" + node.asText() + "\"";
        }
        return node.isNull() ? "null" : node.toString();
    }
}
