package io.tributary.stage;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** How a failure is described to people: in stage reports, run outcomes, API answers and the command line. */
public final class Failures {

    /** What a failure without a message is described as. */
    public static final String NO_MESSAGE = "an internal error without a message (the log has its stack trace)";

    private Failures() {
    }

    /**
     * The first line of what went wrong, without Java's exception names: the message, or for a file system failure
     * the file and the reason; a failure without a message says where its stack trace is.
     */
    public static String describe(Throwable e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String message;
        if (cause instanceof NoSuchFileException missing) {
            message = "no such file or folder: " + missing.getFile();
        } else if (cause instanceof AccessDeniedException denied) {
            message = "permission denied: " + denied.getFile();
        } else if (cause instanceof FileSystemException file) {
            message = "cannot use " + file.getFile() + (file.getReason() == null ? "" : ": " + file.getReason());
        } else {
            message = cause.getMessage();
        }
        if (message == null || message.isBlank()) {
            return NO_MESSAGE;
        }
        return message.lines().findFirst().orElse(message);
    }

    /**
     * Why a run cannot go on, as its status shows it: the message of an input that does not fit the definition,
     * classified ({@code wrong format: …}) when the input is not in the declared format.
     */
    static String reason(RuntimeException e) {
        return e instanceof io.tributary.engine.TransformFailedException t ? t.describe() : e.getMessage();
    }
}
