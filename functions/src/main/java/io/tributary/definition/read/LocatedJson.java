package io.tributary.definition.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON document together with the source position of every value, keyed by JSON pointer, so
 * that problems found in the tree can be reported at the line and column the user typed them.
 */
public final class LocatedJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(DefinitionLimits.MAX_DEPTH)
                    .maxStringLength(DefinitionLimits.MAX_STRING_CHARS)
                    .maxNameLength(DefinitionLimits.MAX_NAME_CHARS)
                    .maxNumberLength(DefinitionLimits.MAX_NUMBER_DIGITS)
                    .build())
            .build();

    private final JsonNode root;
    private final Map<String, JsonLocation> locations;
    private final Map<String, JsonLocation> keys;

    private LocatedJson(JsonNode root, Map<String, JsonLocation> locations, Map<String, JsonLocation> keys) {
        this.root = root;
        this.locations = locations;
        this.keys = keys;
    }

    /**
     * Parses {@code text}.
     *
     * @throws JsonParseException with the failing location when the text is not well-formed JSON or exceeds one of
     *                            the {@link DefinitionLimits}
     */
    public static LocatedJson parse(String text) throws IOException {
        Map<String, JsonLocation> locations = new HashMap<>();
        Map<String, JsonLocation> keys = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(text)) {
            try {
                if (parser.nextToken() == null) {
                    throw new JsonParseException(parser, "the file is empty; expected a JSON object");
                }
                JsonNode root = read(parser, "", locations, keys);
                if (parser.nextToken() != null) {
                    throw new JsonParseException(parser, "unexpected content after the end of the JSON document");
                }
                return new LocatedJson(root, locations, keys);
            } catch (StreamConstraintsException e) {
                // Jackson's own words name its settings; say which limit of a definition it is, where it was reached.
                throw new JsonParseException(parser, overLimit(e.getMessage()));
            }
        }
    }

    /** A value over one of the {@link DefinitionLimits}, at its pointer, located where the value starts. */
    public static final class OverLimit extends JsonParseException {

        private final String pointer;

        OverLimit(JsonParser parser, String pointer, String message) {
            super(parser, message, parser.currentTokenLocation());
            this.pointer = pointer;
        }

        /** The JSON pointer of the value. */
        public String pointer() {
            return pointer;
        }
    }

    /** A limit Jackson enforced, in a definition's terms. */
    private static String overLimit(String jackson) {
        String message = String.valueOf(jackson);
        if (message.contains("nesting depth")) {
            return "objects and arrays nest deeper than " + DefinitionLimits.MAX_DEPTH + " levels; a definition "
                    + "needs a few (is a bracket repeated or left open?)";
        }
        if (message.startsWith("String value length")) {
            return "the string is longer than " + DefinitionLimits.MAX_STRING_CHARS + " characters, the most a "
                    + "definition's string (a name, an expression, a query) may hold; shorten it";
        }
        if (message.startsWith("Name length")) {
            return "a field name is longer than " + DefinitionLimits.MAX_NAME_CHARS + " characters; shorten it";
        }
        if (message.startsWith("Number value length")) {
            return "a number is written with more than " + DefinitionLimits.MAX_NUMBER_DIGITS + " digits; no field "
                    + "of a definition takes one that long";
        }
        return message.lines().findFirst().orElse("").replaceAll(" \\(from `StreamReadConstraints.*", "");
    }

    public JsonNode root() {
        return root;
    }

    /**
     * Where the value at {@code pointer} starts (or, with {@code atKey}, the field name that holds
     * it), falling back to the nearest located ancestor: {@code {line, column}}, 1-based.
     */
    public int[] position(String pointer, boolean atKey) {
        JsonLocation location = atKey && keys.containsKey(pointer) ? keys.get(pointer) : nearest(pointer);
        return location == null ? new int[] {1, 1} : new int[] {location.getLineNr(), location.getColumnNr()};
    }

    private JsonLocation nearest(String pointer) {
        String p = pointer;
        while (true) {
            JsonLocation location = locations.get(p);
            if (location != null || p.isEmpty()) {
                return location;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    private static JsonNode read(JsonParser parser, String pointer, Map<String, JsonLocation> locations,
                                 Map<String, JsonLocation> keys) throws IOException {
        locations.put(pointer, parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    String child = pointer + "/" + escape(field);
                    keys.put(child, parser.currentTokenLocation());
                    parser.nextToken();
                    object.set(field, read(parser, child, locations, keys));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser, pointer + "/" + index++, locations, keys));
                }
                return array;
            }
            case VALUE_STRING -> {
                try {
                    return nodes.textNode(parser.getText());
                } catch (StreamConstraintsException e) {
                    throw new OverLimit(parser, pointer, overLimit(e.getMessage()));
                }
            }
            case VALUE_NUMBER_INT -> {
                return nodes.numberNode(parser.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                java.math.BigDecimal value = parser.getDecimalValue();
                // 1e999999999 is short to write but takes minutes and gigabytes to turn into a whole number.
                long exponent = (long) value.precision() - value.scale();
                if (value.signum() != 0 && Math.abs(exponent) > DefinitionLimits.MAX_EXPONENT) {
                    throw new JsonParseException(parser, "the number " + parser.getText() + " is out of range; no "
                            + "field of a definition takes one beyond 1e" + DefinitionLimits.MAX_EXPONENT);
                }
                return nodes.numberNode(value);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(parser.getBooleanValue());
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new JsonParseException(parser, "unexpected token " + token);
        }
    }

    /** Escapes a field name as a JSON pointer reference token (RFC 6901). */
    public static String escape(String field) {
        return field.replace("~", "~0").replace("/", "~1");
    }
}
