package io.tributary.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code Values} of {@code local.settings.json}, which {@code func start} turns into app settings. */
public final class LocalSettings {

    private LocalSettings() {
    }

    /** The values in {@code file}, or none when it does not exist. */
    public static Map<String, String> read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(file));
            root.path("Values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
