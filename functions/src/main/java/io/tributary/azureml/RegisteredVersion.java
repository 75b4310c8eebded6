package io.tributary.azureml;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.port.DataAssetVersion;
import io.tributary.run.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data asset version as the workspace has it registered ({@code DataVersionBaseResource}): what is compared with
 * the version a commit asks for.
 *
 * @param dataType its data type ({@code mltable}, {@code uri_folder}, {@code uri_file}); empty when not said
 * @param dataUri  its data URI; empty when not said
 * @param tags     its tags
 */
record RegisteredVersion(String dataType, String dataUri, Map<String, String> tags) {

    /**
     * The version an answer describes.
     *
     * @throws IllegalArgumentException when the answer is not JSON
     */
    static RegisteredVersion read(String body) {
        JsonNode properties;
        try {
            properties = Json.MAPPER.readTree(body).path("properties");
        } catch (IOException e) {
            throw new IllegalArgumentException("the answer is not JSON: " + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        properties.path("tags").fields().forEachRemaining(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
        return new RegisteredVersion(properties.path("dataType").asText(""), properties.path("dataUri").asText(""),
                tags);
    }

    /**
     * How this version differs from {@code asked}: in its data type or data URI (a trailing {@code /} aside), or in
     * the value of a tag {@code asked} carries; tags only this version has, and the description, do not count. Empty
     * when it is the version {@code asked} for.
     */
    List<String> differencesFrom(DataAssetVersion asked) {
        List<String> differences = new ArrayList<>();
        if (!dataType.isEmpty() && !dataType.equalsIgnoreCase(DataVersionBody.MLTABLE)) {
            differences.add("data type " + dataType + " (this commit's: " + DataVersionBody.MLTABLE + ")");
        }
        String uri = asked.dataUri().toString();
        if (!withoutSlash(dataUri).equals(withoutSlash(uri))) {
            differences.add("data URI " + (dataUri.isEmpty() ? "(none)" : dataUri) + " (this commit's: " + uri + ")");
        }
        asked.tags().forEach((name, value) -> {
            String registered = tags.get(name);
            if (registered == null) {
                differences.add("no tag " + name + " (this commit's: '" + value + "')");
            } else if (!registered.equals(value)) {
                differences.add("tag " + name + " '" + registered + "' (this commit's: '" + value + "')");
            }
        });
        return differences;
    }

    private static String withoutSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
