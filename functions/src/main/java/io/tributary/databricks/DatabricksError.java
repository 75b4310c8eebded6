package io.tributary.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.run.Json;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an Azure Databricks error answer says: {@code {"error_code": "INVALID_PARAMETER_VALUE", "message": "…"}}, the
 * shape every Databricks REST API answers with. Some endpoints write the HTTP status as a number in {@code error_code}
 * ({@code {"error_code": 403, "message": "Invalid access token."}}), which is no code and is left out; older
 * front-ends answer an HTML page, whose {@code <pre>} (or first line of text) is kept.
 *
 * @param code    the error's code, such as {@code RESOURCE_DOES_NOT_EXIST}; empty when there is none
 * @param message the error's message, one line, shortened; empty when there is none
 */
record DatabricksError(String code, String message) {

    private static final int LONGEST = 600;
    private static final Pattern PRE = Pattern.compile("(?is)<pre>(.*?)</pre>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");

    static DatabricksError parse(String body) {
        if (body == null || body.isBlank()) {
            return new DatabricksError("", "");
        }
        try {
            JsonNode error = Json.MAPPER.readTree(body);
            if (error != null && error.isObject()) {
                JsonNode code = error.path("error_code");
                return new DatabricksError(code.isTextual() ? code.asText() : "",
                        line(error.path("message").asText("")));
            }
        } catch (IOException e) {
            // not JSON: read as a page below
        }
        Matcher pre = PRE.matcher(body);
        String text = pre.find() ? pre.group(1) : body;
        return new DatabricksError("", line(TAG.matcher(text).replaceAll(" ").replaceAll("[ \\t]+", " ")));
    }

    private static String line(String text) {
        String line = text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        return line.length() > LONGEST ? line.substring(0, LONGEST) + "…" : line;
    }

    /** {@code "CODE: message"}, {@code "message"}, {@code "CODE"} or nothing. */
    String text() {
        return code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
    }

    /** {@code " (CODE: message)"}, or nothing when the answer said nothing. */
    String describe() {
        return text().isEmpty() ? "" : " (" + text() + ")";
    }
}
