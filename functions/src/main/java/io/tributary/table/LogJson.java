package io.tributary.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A Delta commit file's text: one action per line, as compact JSON. */
final class LogJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private LogJson() {
    }

    static byte[] write(List<Action> actions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Action action : actions) {
            try {
                out.writeBytes(MAPPER.writeValueAsBytes(action));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write a log action: " + e.getOriginalMessage(), e);
            }
            out.write('\n');
        }
        return out.toByteArray();
    }

    /**
     * The actions of a commit file.
     *
     * @param where names the file in an error
     */
    static List<Action> read(byte[] content, String where) {
        List<Action> actions = new ArrayList<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                actions.add(MAPPER.readValue(lines[i], Action.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(where + " line " + (i + 1) + " is not a Delta log action: "
                        + e.getOriginalMessage(), e);
            }
        }
        return actions;
    }

    static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }
}
