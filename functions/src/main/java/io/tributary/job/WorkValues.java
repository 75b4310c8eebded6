package io.tributary.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Passes every text a definition wrote in a job's work through the run's values, keeping the shape. */
final class WorkValues {

    private WorkValues() {
    }

    static String text(String text, UnaryOperator<String> values) {
        return text == null ? null : values.apply(text);
    }

    static List<String> list(List<String> texts, UnaryOperator<String> values) {
        return texts.stream().map(values).toList();
    }

    static Map<String, String> map(Map<String, String> texts, UnaryOperator<String> values) {
        Map<String, String> resolved = new LinkedHashMap<>();
        texts.forEach((name, text) -> resolved.put(name, values.apply(text)));
        return resolved;
    }

    /** A JSON-like tree (maps, lists, texts, numbers, booleans) with every text resolved. */
    static Object tree(Object node, UnaryOperator<String> values) {
        if (node instanceof String text) {
            return values.apply(text);
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((name, value) -> resolved.put(String.valueOf(name), tree(value, values)));
            return resolved;
        }
        if (node instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            list.forEach(value -> resolved.add(tree(value, values)));
            return resolved;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> treeMap(Map<String, Object> map, UnaryOperator<String> values) {
        return (Map<String, Object>) tree(map, values);
    }

    static <T> Map<String, T> copy(Map<String, T> map) {
        return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
