package io.tributary.definition.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.LocatedJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shapes a job's work is written in: lists and maps of strings, whole numbers, JSON passed on as it is. */
final class WorkFields {

    private final Fields fields;

    WorkFields(Fields fields) {
        this.fields = fields;
    }

    Fields fields() {
        return fields;
    }

    /** The list of strings {@code field} of {@code parent}; empty when absent or, after problems, not one. */
    List<String> strings(JsonNode parent, String at, String field) {
        JsonNode node = parent.get(field);
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            fields.problem(at + "/" + field, "expected a list of strings, e.g. [\"--date\", \"${window.start}\"], "
                    + "found " + Fields.describe(node));
            return values;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode value = node.get(i);
            if (value.isTextual()) {
                values.add(value.asText());
            } else if (value.isNumber() || value.isBoolean()) {
                fields.problem(at + "/" + field + "/" + i, "expected a string; write " + value + " in quotes: \""
                        + value.asText() + "\" (a job's parameters are strings)");
            } else {
                fields.problem(at + "/" + field + "/" + i, "expected a string, found " + Fields.describe(value));
            }
        }
        return values;
    }

    /** The map of strings {@code field} of {@code parent}, in file order; empty when absent or not one. */
    Map<String, String> stringMap(JsonNode parent, String at, String field) {
        JsonNode node = parent.get(field);
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            fields.problem(at + "/" + field, "expected an object of names and string values, e.g. {\"date\": "
                    + "\"${window.start}\"}, found " + Fields.describe(node));
            return values;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String pointer = at + "/" + field + "/" + LocatedJson.escape(entry.getKey());
            if (entry.getKey().isBlank()) {
                fields.problemAtKey(pointer, "a parameter needs a name");
            } else if (entry.getValue().isTextual()) {
                values.put(entry.getKey(), entry.getValue().asText());
            } else if (entry.getValue().isNumber() || entry.getValue().isBoolean()) {
                fields.problem(pointer, "expected a string; write " + entry.getValue() + " in quotes: \""
                        + entry.getValue().asText() + "\" (a job's parameters are strings)");
            } else {
                fields.problem(pointer, "expected a string, found " + Fields.describe(entry.getValue()));
            }
        }
        return values;
    }

    /** The whole number {@code field} of {@code parent} from 1 to {@code max}; {@code fallback} when absent. */
    int count(JsonNode parent, String at, String field, int max, int fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1 || node.asInt() > max) {
            fields.problem(at + "/" + field, "expected a whole number from 1 to " + max + ", found "
                    + Fields.describe(node));
            return fallback;
        }
        return node.asInt();
    }

    /** {@code node} as plain Java values (maps, lists, strings, numbers, booleans), to be passed on as written. */
    static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(value -> list.add(plain(value)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.isNull() ? null : node.asText();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> plainObject(JsonNode node) {
        return (Map<String, Object>) plain(node);
    }
}
