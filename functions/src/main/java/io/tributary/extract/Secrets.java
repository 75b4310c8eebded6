package io.tributary.extract;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The setting values a fetch sends in headers or query parameters, so that any URL it shows (including one the
 * server hands back as the next page's) has them replaced by {@code ***}.
 */
final class Secrets {

    static final String MASK = "***";

    private final Set<String> values = new LinkedHashSet<>();

    void add(String value) {
        if (value != null && !value.isEmpty()) {
            values.add(value);
        }
    }

    /** {@code text} with every secret, as is or query-encoded, replaced by {@code ***}. */
    String mask(String text) {
        String masked = text;
        for (String secret : values) {
            masked = masked.replace(secret, MASK);
            String encoded = RestRequest.encode(secret);
            masked = masked.replace(encoded, MASK);
            masked = masked.replace(encoded.replace("%20", "+"), MASK);
        }
        return masked;
    }
}
