package io.tributary.run;

import java.util.Optional;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The run an invocation works on, bound to its thread so that every line it logs says so:
 * {@code [run=20261122T073242Z-a3f6fba34e pipeline=orders stage=transform chunk=2] transform done}. A query for
 * {@code run=ID} finds the whole run, whichever logger wrote the line: the function classes tag what they log with
 * {@link #tag}, the stage classes log through {@link #logger}, which tags for them.
 */
public final class LogContext {

    private static final ThreadLocal<Fields> CURRENT = new ThreadLocal<>();
    private static final String OPENING = "[run=";

    private LogContext() {
    }

    /**
     * What each line carries.
     *
     * @param chunk the chunk (for {@code combine}, the key bucket), or -1 for a stage that works on the whole run
     */
    public record Fields(RunId runId, String pipeline, Stage stage, int chunk) {

        /** {@code [run=… pipeline=… stage=… chunk=…]}; the chunk is {@code -} when there is none. */
        public String tag() {
            return OPENING + runId + " pipeline=" + pipeline + " stage=" + stage + " chunk="
                    + (chunk < 0 ? "-" : String.valueOf(chunk)) + "]";
        }
    }

    /** Ends a binding; restores the one before it. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Binds the run to this thread until the scope closes. */
    public static Scope open(RunId runId, String pipeline, Stage stage, int chunk) {
        Fields before = CURRENT.get();
        CURRENT.set(new Fields(runId, pipeline, stage, chunk));
        return () -> {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        };
    }

    /** The run bound to this thread, if any. */
    public static Optional<Fields> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * {@code message} as one log line: with the bound run's tag in front (not when no run is bound or it is tagged
     * already), and the control characters of the names and values in it escaped ({@link PrintableText}), so that a
     * name cannot end the line and forge the next one.
     */
    public static String tag(String message) {
        Fields fields = CURRENT.get();
        if (fields == null || message == null || message.startsWith(OPENING)) {
            return PrintableText.escape(message);
        }
        return PrintableText.escape(fields.tag() + " " + message);
    }

    /** The {@code java.util.logging} logger of {@code type}, whose lines carry the bound run's tag. */
    public static Logger logger(Class<?> type) {
        Logger logger = Logger.getLogger(type.getName());
        if (!(logger.getFilter() instanceof Tagging)) {
            logger.setFilter(new Tagging(logger.getFilter()));
        }
        return logger;
    }

    /** Tags each record, and masks credentials in URLs, before the logger's handlers (and its parents') see it. */
    private static final class Tagging implements Filter {
        private final Filter next;

        Tagging(Filter next) {
            this.next = next;
        }

        @Override
        public boolean isLoggable(LogRecord record) {
            record.setMessage(SecretMask.URLS.mask(tag(record.getMessage())));
            return next == null || next.isLoggable(record);
        }
    }
}
