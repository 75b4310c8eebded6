package io.tributary.cli;

/** The command line was wrong; the message says how to write it. Exit status 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
