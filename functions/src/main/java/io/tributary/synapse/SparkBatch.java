package io.tributary.synapse;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.run.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Spark batch as Synapse describes it with {@code detailed=true} ({@code SparkBatchJob}): what the client reads of
 * it. Plain Livy answers (without {@code detailed}) carry no name or tags; those read as empty.
 *
 * @param id          the Livy batch id, per pool
 * @param name        its name, or empty
 * @param state       its Livy state ({@code not_started}, {@code running}, {@code dead}, …); empty when not said
 * @param result      Synapse's result ({@code Uncertain}, {@code Succeeded}, {@code Failed}, {@code Cancelled}), or
 *                    empty
 * @param tags        its tags
 * @param errors      the messages of its {@code errorInfo}
 * @param log         the last lines of its Livy log
 * @param sparkUiUrl  its Spark UI's address from {@code appInfo}, or empty
 * @param submittedAt when Synapse's scheduler took it, or null when not said
 */
record SparkBatch(int id, String name, String state, String result, Map<String, String> tags, List<String> errors,
                  List<String> log, String sparkUiUrl, Instant submittedAt) {

    /**
     * The batch an answer's body describes.
     *
     * @throws IllegalArgumentException when the body is not JSON or has no batch id
     */
    static SparkBatch read(String body) {
        try {
            return of(Json.MAPPER.readTree(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("the answer is not JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""), e);
        }
    }

    /**
     * The batch {@code node} describes.
     *
     * @throws IllegalArgumentException when it has no batch id
     */
    static SparkBatch of(JsonNode node) {
        JsonNode id = node == null ? null : node.get("id");
        if (id == null || !id.canConvertToInt() || !id.isIntegralNumber()) {
            throw new IllegalArgumentException("the answer has no batch id");
        }
        String state = text(node.get("state"));
        if (state.isEmpty()) {
            state = text(node.path("livyInfo").get("currentState"));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        node.path("tags").fields().forEachRemaining(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
        List<String> errors = new ArrayList<>();
        node.path("errorInfo").forEach(error -> {
            String message = text(error.get("message"));
            if (!message.isBlank()) {
                errors.add(message.strip());
            }
        });
        List<String> log = new ArrayList<>();
        node.path("log").forEach(line -> log.add(line.asText("")));
        return new SparkBatch(id.asInt(), text(node.get("name")), state, text(node.get("result")), tags,
                List.copyOf(errors), List.copyOf(log), text(node.path("appInfo").get("sparkUiUrl")),
                instant(text(node.path("schedulerInfo").get("submittedAt"))));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? "" : node.asText("");
    }

    private static Instant instant(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whether a submission with {@code key} started this batch: by its tag, or by its name, which is the key too. */
    boolean submittedAs(String key) {
        return key.equals(tags.get(SparkBatchBody.KEY_TAG)) || key.equals(name);
    }
}
