package io.tributary.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the engine says about a chunk, without the absolute path of the invocation's work folder: that path means
 * nothing to whoever reads a run's status, and tells them about the host. The folder reads {@value #NAME}; a file in
 * it keeps its name ({@code <work>/lookup_0.parquet}).
 */
final class WorkFolderText {

    /** How a message names the work folder. */
    static final String NAME = "<work>";

    private WorkFolderText() {
    }

    /** {@code message} with every spelling of {@code work}'s path (as given, absolute, real) replaced by {@link #NAME}. */
    static String scrub(String message, Path work) {
        if (message == null) {
            return null;
        }
        String scrubbed = message;
        for (String path : spellings(work)) {
            scrubbed = scrubbed.replace(path, NAME);
        }
        return scrubbed;
    }

    /**
     * {@code e}, or when its message names {@code work}, the same kind of failure with the path scrubbed (and
     * {@code e} as its cause, for the host's log).
     */
    static RuntimeException scrub(RuntimeException e, Path work) {
        String message = e.getMessage();
        String scrubbed = scrub(message, work);
        if (message == null || message.equals(scrubbed)) {
            return e;
        }
        if (e instanceof TransformFailedException failed) {
            return failed.withMessage(scrubbed);
        }
        if (e instanceof IllegalArgumentException) {
            return new IllegalArgumentException(scrubbed, e);
        }
        if (e instanceof UncheckedIOException io) {
            return new UncheckedIOException(scrubbed, io.getCause());
        }
        return new IllegalStateException(scrubbed, e);
    }

    /** The ways a message may spell {@code work}: longest first, so a longer spelling is not cut by a shorter one. */
    private static Set<String> spellings(Path work) {
        Set<String> spellings = new LinkedHashSet<>();
        Path absolute = work.toAbsolutePath().normalize();
        try {
            spellings.add(absolute.toRealPath().toString());
        } catch (IOException e) {
            // Not there (any more): the other spellings remain.
        }
        spellings.add(absolute.toString());
        spellings.add(work.toString());
        spellings.removeIf(s -> s.isEmpty() || s.equals("/") || s.equals("."));
        return spellings.stream().sorted((a, b) -> b.length() - a.length())
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
    }
}
