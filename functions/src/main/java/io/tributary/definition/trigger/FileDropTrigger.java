package io.tributary.definition.trigger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a run when a blob whose name (inside the {@code landing} container) matches {@code path} lands.
 * In the path, {@code *} matches within one folder level, {@code **} across levels, {@code ?} one character, and
 * {@code {name}} captures a non-empty part of one folder level as the run parameter {@code name}.
 *
 * @param path        the pattern
 * @param suffixes    when not empty, the name must also end with one of these (case-insensitive), e.g. {@code .csv}
 * @param emptyFiles  {@code ignore} (a zero-byte blob starts no run) or {@code run}
 * @param afterCommit what becomes of the dropped blob once its run commits: {@code leave}, {@code archive} (moved
 *                    to the {@code archive} container under the same name) or {@code delete}
 */
public record FileDropTrigger(String path, List<String> suffixes, String emptyFiles, String afterCommit) {

    public static final List<String> EMPTY_FILES = List.of("ignore", "run");
    public static final List<String> AFTER_COMMIT = List.of("leave", "archive", "delete");
    /** A capture's name. */
    static final Pattern CAPTURE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public FileDropTrigger {
        suffixes = List.copyOf(suffixes);
        if (!EMPTY_FILES.contains(emptyFiles) || !AFTER_COMMIT.contains(afterCommit)) {
            throw new IllegalArgumentException("emptyFiles " + emptyFiles + ", afterCommit " + afterCommit);
        }
        compile(path); // fails on a malformed pattern
    }

    /** A trigger on {@code path} with the defaults: no suffix filter, empty files ignored, the file left. */
    public FileDropTrigger(String path) {
        this(path, List.of(), "ignore", "leave");
    }

    public boolean matches(String blobName) {
        return match(blobName).isPresent();
    }

    /**
     * The values of the path's captures when {@code blobName} matches the path and the suffix filter (an empty map
     * for a path without captures), or empty when it does not.
     */
    public Optional<Map<String, String>> match(String blobName) {
        if (!suffixes.isEmpty() && suffixes.stream().noneMatch(s -> blobName.toLowerCase(Locale.ROOT)
                .endsWith(s.toLowerCase(Locale.ROOT)))) {
            return Optional.empty();
        }
        Compiled compiled = compile(path);
        Matcher matcher = compiled.regex().matcher(blobName);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Map<String, String> captures = new LinkedHashMap<>();
        for (int i = 0; i < compiled.captures().size(); i++) {
            captures.put(compiled.captures().get(i), matcher.group(i + 1));
        }
        return Optional.of(captures);
    }

    /** The names the path captures, in order. */
    public List<String> captureNames() {
        return compile(path).captures();
    }

    public boolean runsOnEmptyFiles() {
        return emptyFiles.equals("run");
    }

    /** The path as a regular expression, with one group per capture, in order. */
    record Compiled(Pattern regex, List<String> captures) {
    }

    /**
     * Compiles a path pattern.
     *
     * @throws IllegalArgumentException saying what is wrong where: an unclosed or empty brace, a capture name that
     *                                  is not a name, a name captured twice
     */
    static Compiled compile(String pattern) {
        StringBuilder regex = new StringBuilder();
        List<String> captures = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '{') {
                int close = pattern.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("the '{' at position " + (i + 1) + " is not closed; write a "
                            + "capture as {name}, e.g. \"crm/{tenant}/*.csv\"");
                }
                String name = pattern.substring(i + 1, close);
                if (!CAPTURE_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("'{" + name + "}' is not a capture: name it with letters, digits "
                            + "and '_', starting with a letter, e.g. {tenant}");
                }
                if (captures.contains(name)) {
                    throw new IllegalArgumentException("{" + name + "} is captured twice; give each capture its own "
                            + "name");
                }
                captures.add(name);
                regex.append("([^/]+)");
                i = close;
            } else if (c == '}') {
                throw new IllegalArgumentException("the '}' at position " + (i + 1) + " closes no capture");
            } else if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Compiled(Pattern.compile(regex.toString()), List.copyOf(captures));
    }
}
