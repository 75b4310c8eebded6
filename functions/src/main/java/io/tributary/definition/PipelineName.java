package io.tributary.definition;

import java.util.regex.Pattern;

/**
 * The one rule for a pipeline's name: 1-63 lower-case letters, digits and {@code -}, starting with a letter or digit.
 * A name becomes a blob folder, part of run ids and a path segment of the HTTP API, so every place that takes one
 * (a definition, a dataset trigger, a query, the command line) checks it here.
 */
public final class PipelineName {

    /** The rule, as a pattern the whole name must match. */
    public static final Pattern PATTERN = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** The rule in words, for messages: what a name may hold. */
    public static final String RULE = "1-63 lower-case letters, digits and '-', starting with a letter or digit";

    private PipelineName() {
    }

    /** Whether {@code name} is a pipeline name; null is not. */
    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
