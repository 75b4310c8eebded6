package io.tributary.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;

/**
 * Streams the array of records at a JSON Pointer inside a JSON document out as JSON Lines, one record per line,
 * each exactly as written (numbers keep their digits). Memory stays flat however large the document: only the
 * record being copied is held, token by token.
 */
final class JsonRecords {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((int) JsonParse.MAX_LINE_BYTES).build())
            .build();

    private JsonRecords() {
    }

    /**
     * Writes each element of the array at {@code pointer} in {@code document} as one line of {@code out}.
     *
     * @throws TransformFailedException when the document is not JSON or holds no array there
     */
    static void write(Reader document, String pointer, OutputStream out) throws IOException {
        try (JsonParser parser = FACTORY.createParser(document);
             JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (parser.nextToken() == null) {
                throw TransformFailedException.wrongFormat("the source is empty: no JSON document to find " + pointer + " in",
                        null);
            }
            descend(parser, JsonPointer.compile(pointer), pointer);
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw TransformFailedException.wrongFormat("the source's " + pointer + " is " + describe(parser.currentToken())
                        + ", not an array of records; set \"recordsPath\" to the array's JSON Pointer", null);
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                copyValue(parser, generator);
                generator.flush();
                out.write('\n');
            }
            generator.flush();
        } catch (JsonParseException e) {
            throw TransformFailedException.wrongFormat("the source cannot be read as a JSON document: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr(), e);
        }
    }

    /** Moves the parser to the value {@code pointer} names, failing with the part of the path that exists. */
    private static void descend(JsonParser parser, JsonPointer pointer, String whole) throws IOException {
        JsonPointer rest = pointer;
        StringBuilder at = new StringBuilder();
        while (!rest.matches()) {
            String step = rest.getMatchingProperty();
            JsonToken token = parser.currentToken();
            boolean found = false;
            if (token == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    if (name.equals(step)) {
                        found = true;
                        break;
                    }
                    parser.skipChildren();
                }
            } else if (token == JsonToken.START_ARRAY && rest.getMatchingIndex() >= 0) {
                int index = rest.getMatchingIndex();
                for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                    if (i == index) {
                        found = true;
                        break;
                    }
                    parser.skipChildren();
                }
            }
            if (!found) {
                throw TransformFailedException.wrongFormat("the source has no " + whole + ": " + (at.length() == 0
                        ? "the document" : at) + " is " + describe(token) + " without '" + step + "'; set "
                        + "\"recordsPath\" to the JSON Pointer of the array of records", null);
            }
            at.append('/').append(step);
            rest = rest.tail();
        }
    }

    /** Copies the value at the parser (a scalar, or an object or array with all it holds), digits as written. */
    private static void copyValue(JsonParser parser, JsonGenerator generator) throws IOException {
        int depth = 0;
        while (true) {
            JsonToken token = parser.currentToken();
            generator.copyCurrentEventExact(parser);
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            }
            if (depth == 0) {
                return;
            }
            parser.nextToken();
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "missing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "a number";
        };
    }
}
