package io.tributary.port;

/**
 * The source blob a run was started for was changed or deleted before the run read it. The run
 * cannot complete as started; a new version starts its own run.
 */
public class SourceChangedException extends RuntimeException {
    public SourceChangedException(String message, Throwable cause) {
        super(message, cause);
    }
}
