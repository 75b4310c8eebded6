package io.tributary.synapse;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.run.Json;
import java.io.IOException;

/**
 * What a Synapse data-plane error answer says: a flat {@code {"code": "…", "message": "…"}} (the shape its 401s and
 * 403s are seen with; the batch API's spec declares no error schema). An {@code {"error": {…}}} envelope is read too;
 * an answer of another shape (a gateway's page) keeps its first line.
 *
 * @param code    the error's code, such as {@code Unauthorized}; empty when there is none
 * @param message the error's message, one line, shortened; empty when there is none
 */
record SynapseError(String code, String message) {

    /** Synapse's RBAC refusal names the principal, the action and the scope, some 400 characters. */
    private static final int LONGEST = 600;

    static SynapseError parse(String body) {
        if (body == null || body.isBlank()) {
            return new SynapseError("", "");
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            JsonNode error = root.path("error").isObject() ? root.path("error") : root;
            if (error.isObject() && (error.has("code") || error.has("message"))) {
                return new SynapseError(line(error.path("code").asText("")), line(error.path("message").asText("")));
            }
        } catch (IOException e) {
            // not JSON: said below
        }
        return new SynapseError("", line(body));
    }

    private static String line(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > LONGEST ? line.substring(0, LONGEST) + "…" : line;
    }

    /** {@code "Code: message"}, or what there is of it; empty when the answer said nothing. */
    String text() {
        return code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
    }

    /** {@code " (Code: message)"}, or nothing when the answer said nothing. */
    String describe() {
        return text().isEmpty() ? "" : " (" + text() + ")";
    }
}
