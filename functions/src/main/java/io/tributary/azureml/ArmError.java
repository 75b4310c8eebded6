package io.tributary.azureml;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.run.Json;
import java.io.IOException;

/**
 * What an Azure Resource Manager error answer says: {@code {"error": {"code": "…", "message": "…"}}}, the shape of
 * ARM's common {@code ErrorResponse}. An answer that is not of that shape (a gateway's page) keeps its first line.
 *
 * @param code    the error's code, such as {@code AuthorizationFailed}; empty when there is none
 * @param message the error's message, one line, shortened; empty when there is none
 */
record ArmError(String code, String message) {

    /** ARM's AuthorizationFailed says the action and the scope last, some 500 characters in. */
    private static final int LONGEST = 600;

    static ArmError parse(String body) {
        if (body == null || body.isBlank()) {
            return new ArmError("", "");
        }
        try {
            JsonNode error = Json.MAPPER.readTree(body).path("error");
            if (error.isObject()) {
                return new ArmError(error.path("code").asText(""), line(error.path("message").asText("")));
            }
        } catch (IOException e) {
            // not JSON: said below
        }
        return new ArmError("", line(body));
    }

    private static String line(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > LONGEST ? line.substring(0, LONGEST) + "…" : line;
    }

    /** {@code " (Code: message)"}, or nothing when the answer said nothing. */
    String describe() {
        if (code.isEmpty() && message.isEmpty()) {
            return "";
        }
        return " (" + (code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message) + ")";
    }
}
