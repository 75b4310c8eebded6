package io.tributary.stage;

/** How a failed attempt is described in stage reports and run outcomes. */
final class Failures {

    private Failures() {
    }

    /** The exception's type and the first line of its message. */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
