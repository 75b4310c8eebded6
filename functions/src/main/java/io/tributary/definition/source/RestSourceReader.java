package io.tributary.definition.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.LocatedJson;
import io.tributary.definition.read.Suggestions;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads {@code source.rest} into a {@link RestSource}, reporting every problem at its JSON pointer. It returns a
 * source whenever {@code rest} is given, with defaults in place of what is wrong, so that the rest of the definition
 * is read as a fetched source (the problems keep the definition from being used).
 */
final class RestSourceReader {

    private static final String AT = "/source/rest";
    private static final Set<String> FIELDS = Set.of("url", "headers", "records", "pagination", "timeoutSeconds",
            "maxAttempts", "maxResponseBytes", "maxPages");
    private static final Map<String, Set<String>> PAGINATION_FIELDS = Map.of(
            "nextLink", Set.of("type", "path"),
            "linkHeader", Set.of("type"),
            "offset", Set.of("type", "offsetParam", "limitParam", "limit"),
            "cursor", Set.of("type", "cursorPath", "cursorParam"));
    /** {@code %SETTING%} and {@code {parameter}} references, which only a fetch can expand. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern QUERY_NAME = Pattern.compile("[A-Za-z0-9_.~\\[\\]-]+");

    private final Fields fields;

    RestSourceReader(Fields fields) {
        this.fields = fields;
    }

    Optional<FetchedSource> read(JsonNode rest) {
        RestSource fallback = RestSource.of("");
        if (!fields.object(rest, AT, FIELDS)) {
            return Optional.of(fallback);
        }
        String url = url(rest);
        Map<String, String> headers = headers(rest.get("headers"));
        String records = Optional.ofNullable(fields.string(rest, AT, "records", false)).orElse("");
        checkPointer(records, AT + "/records", true);
        RestSource.Pagination pagination = pagination(rest.get("pagination"));
        int timeout = (int) positive(rest, AT, "timeoutSeconds", RestSource.DEFAULT_TIMEOUT_SECONDS, 3600);
        int attempts = (int) positive(rest, AT, "maxAttempts", RestSource.DEFAULT_MAX_ATTEMPTS, 100);
        long bytes = positive(rest, AT, "maxResponseBytes", RestSource.DEFAULT_MAX_RESPONSE_BYTES, Long.MAX_VALUE);
        int pages = (int) positive(rest, AT, "maxPages", RestSource.DEFAULT_MAX_PAGES, Integer.MAX_VALUE);
        return Optional.of(new RestSource(url == null ? "" : url, headers, records, pagination, timeout, attempts,
                bytes, pages));
    }

    /** The URL: required, and http(s) unless it starts with a setting that holds the scheme and host. */
    private String url(JsonNode rest) {
        String url = fields.string(rest, AT, "url", true);
        if (url == null) {
            return null;
        }
        String literal = RestSource.PLACEHOLDER.matcher(url).replaceAll("");
        boolean startsWithReference = url.startsWith("%") && !url.equals(literal);
        String lower = url.toLowerCase(Locale.ROOT);
        if (url.isBlank()) {
            fields.problem(AT + "/url", "the url is empty; write the API's address, e.g. "
                    + "\"%CRM_API_URL%/contacts\" or \"https://api.example.com/contacts\"");
        } else if (!startsWithReference && !(lower.startsWith("http://") || lower.startsWith("https://"))) {
            fields.problem(AT + "/url", "'" + url + "' is not an http or https URL; write \"https://host/path\", or "
                    + "start it with a setting that holds one, e.g. \"%CRM_API_URL%/contacts\"");
        } else if (!startsWithReference && url.substring(url.indexOf("//") + 2).matches("[/?#].*|")) {
            fields.problem(AT + "/url", "'" + url + "' names no host; write \"https://host/path\"");
        } else if (literal.chars().anyMatch(Character::isWhitespace)) {
            fields.problem(AT + "/url", "the url contains a space; write it as %20, or put the value in a "
                    + "{parameter}, which is encoded when it is expanded");
        }
        return url;
    }

    private Map<String, String> headers(JsonNode node) {
        Map<String, String> headers = new LinkedHashMap<>();
        String at = AT + "/headers";
        if (node == null) {
            return headers;
        }
        if (!node.isObject()) {
            fields.problem(at, "expected an object of header names and values, e.g. {\"Authorization\": "
                    + "\"Bearer %CRM_API_TOKEN%\"}, found " + Fields.describe(node));
            return headers;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String name = header.getKey();
            String pointer = at + "/" + LocatedJson.escape(name);
            if (!HEADER_NAME.matcher(name).matches()) {
                fields.problemAtKey(pointer, "'" + name + "' is not a valid header name: use letters, digits and "
                        + "'-' (e.g. \"Authorization\", \"X-Api-Key\")");
            } else if (!header.getValue().isTextual()) {
                fields.problem(pointer, "expected the header's value as a string, found " + Fields.describe(header.getValue()));
            } else if (header.getValue().asText().contains("\n") || header.getValue().asText().contains("\r")) {
                fields.problem(pointer, "a header value cannot contain a line break");
            } else {
                headers.put(name, header.getValue().asText());
            }
        }
        return headers;
    }

    private RestSource.Pagination pagination(JsonNode node) {
        String at = AT + "/pagination";
        RestSource.Pagination single = new RestSource.Single();
        if (node == null) {
            return single;
        }
        if (!node.isObject()) {
            fields.problem(at, "expected an object such as {\"type\": \"nextLink\", \"path\": \"/links/next\"}, found "
                    + Fields.describe(node));
            return single;
        }
        String type = fields.string(node, at, "type", true);
        if (type == null) {
            return single;
        }
        if (!PAGINATION_FIELDS.containsKey(type)) {
            fields.problem(at + "/type", "unknown pagination type '" + type + "'"
                    + Suggestions.didYouMean(type, RestSource.PAGINATION_TYPES) + "; allowed: "
                    + String.join(", ", RestSource.PAGINATION_TYPES) + " (or leave pagination out for one request)");
            return single;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            Set<String> allowed = PAGINATION_FIELDS.get(type);
            if (!allowed.contains(field)) {
                Set<String> elsewhere = new TreeSet<>();
                PAGINATION_FIELDS.forEach((t, f) -> {
                    if (f.contains(field)) {
                        elsewhere.add(t);
                    }
                });
                fields.problemAtKey(at + "/" + LocatedJson.escape(field), "unknown field '" + field + "' for "
                        + "pagination type '" + type + "'" + (elsewhere.isEmpty()
                        ? Suggestions.didYouMean(field, allowed) : " (it belongs to " + String.join(", ", elsewhere) + ")")
                        + "; allowed here: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        switch (type) {
            case "nextLink": {
                String path = fields.string(node, at, "path", true);
                checkPointer(path, at + "/path", false);
                return new RestSource.NextLink(path == null ? "/next" : path);
            }
            case "linkHeader":
                return new RestSource.LinkHeader();
            case "offset": {
                String offset = queryName(node, at, "offsetParam", RestSource.Offset.DEFAULT_OFFSET_PARAM);
                String limitParam = queryName(node, at, "limitParam", RestSource.Offset.DEFAULT_LIMIT_PARAM);
                int limit = (int) positive(node, at, "limit", RestSource.Offset.DEFAULT_LIMIT, 1_000_000);
                if (offset.equals(limitParam)) {
                    fields.problem(at + "/limitParam", "the limit and the offset are both sent as '" + offset
                            + "'; give them different names");
                }
                return new RestSource.Offset(offset, limitParam, limit);
            }
            default: {
                String path = fields.string(node, at, "cursorPath", true);
                checkPointer(path, at + "/cursorPath", false);
                String param = queryName(node, at, "cursorParam", RestSource.Cursor.DEFAULT_CURSOR_PARAM);
                return new RestSource.Cursor(path == null ? "/next" : path, param);
            }
        }
    }

    private String queryName(JsonNode node, String at, String field, String fallback) {
        String name = fields.string(node, at, field, false);
        if (name == null) {
            return fallback;
        }
        if (!QUERY_NAME.matcher(name).matches()) {
            fields.problem(at + "/" + field, "'" + name + "' is not a query parameter name: use letters, digits and "
                    + "'_', '-', '.'");
            return fallback;
        }
        return name;
    }

    /** Checks that {@code pointer} is a JSON Pointer ({@code ""} only where {@code emptyAllowed}). */
    private void checkPointer(String pointer, String at, boolean emptyAllowed) {
        if (pointer == null) {
            return;
        }
        if (pointer.isEmpty() && !emptyAllowed) {
            fields.problem(at, "the path is empty; write a JSON Pointer to the value, e.g. \"/links/next\"");
        } else if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            fields.problem(at, "'" + pointer + "' is not a JSON Pointer: it starts with '/', e.g. \"/"
                    + pointer.replace(".", "/") + "\"" + (emptyAllowed ? " (\"\" when the body itself is the array)" : ""));
        } else if (pointer.matches(".*~([^01].*|$)")) {
            fields.problem(at, "'" + pointer + "' is not a JSON Pointer: '~' is written '~0' and '/' inside a name '~1'");
        }
    }

    /** A whole number from 1 to {@code max}, or {@code fallback} when absent. */
    private long positive(JsonNode node, String at, String field, long fallback, long max) {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1 || value.asLong() > max) {
            fields.problem(at + "/" + field, "expected a whole number from 1" + (max < Integer.MAX_VALUE
                    ? " to " + max : "") + ", found " + Fields.describe(value));
            return fallback;
        }
        return value.asLong();
    }
}
