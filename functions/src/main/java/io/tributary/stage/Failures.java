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

    /**
     * Why a run cannot go on, as its status shows it: the message of an input that does not fit the definition,
     * classified ({@code wrong format: …}) when the input is not in the declared format.
     */
    static String reason(RuntimeException e) {
        return e instanceof io.tributary.engine.TransformFailedException t ? t.describe() : e.getMessage();
    }
}
