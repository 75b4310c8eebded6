package io.tributary.stage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.settings.SecretMask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON Lines a fetcher writes, with the run's secrets masked in every record before it reaches the spool: a
 * server that echoes a token into a record's field must not put it into the dataset, the rejects or anything shown
 * of them. Only the strings (values and field names) of a record that holds a secret are rewritten, so numbers and
 * the JSON stay as they were. Counts the bytes it writes, which the spool's size is. Leaves the stream it wraps open.
 */
final class MaskedRecords extends OutputStream {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private final OutputStream out;
    private final SecretMask mask;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long count;

    MaskedRecords(OutputStream out, SecretMask mask) {
        this.out = out;
        this.mask = mask;
    }

    /** The bytes written to the stream it wraps so far. */
    long count() {
        return count;
    }

    @Override
    public void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i + 1 - start);
                flushLine();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    /** Writes what is left of a last line without its line break; the stream it wraps stays open. */
    @Override
    public void close() throws IOException {
        flushLine();
        out.flush();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    private void flushLine() throws IOException {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        byte[] bytes = (mask.reveals(text) ? masked(text) : text).getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        count += bytes.length;
    }

    private String masked(String text) {
        boolean newline = text.endsWith("\n");
        String record = newline ? text.substring(0, text.length() - 1) : text;
        try {
            String json = JSON.writeValueAsString(masked(JSON.readTree(record)));
            return newline ? json + "\n" : json;
        } catch (JsonProcessingException e) {
            return mask.mask(text); // not JSON: a fetcher writes nothing else, but the text is masked all the same
        }
    }

    private JsonNode masked(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(mask.mask(node.textValue()));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JSON.createObjectNode();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                fields.add(it.next());
            }
            fields.forEach(f -> copy.set(mask.mask(f.getKey()), masked(f.getValue())));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JSON.createArrayNode();
            array.forEach(item -> copy.add(masked(item)));
            return copy;
        }
        return node;
    }
}
