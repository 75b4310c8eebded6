package io.tributary.local;

import io.tributary.run.PrintableText;
import io.tributary.run.SecretMask;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The local host's console log: one line per event, with the time, like {@code func start}. Names, paths and
 * messages in a line print their control characters escaped ({@link PrintableText}): a line is one line. What a
 * run logs is masked with its secrets where it is said; here every line is masked once more for credentials in URLs.
 */
public final class HostLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintStream out;
    private final boolean verbose;

    public HostLog(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    public void info(String message) {
        if (verbose) {
            print(message);
        }
    }

    /** Always printed: what a user must see even when not verbose. */
    public void notice(String message) {
        print(message);
    }

    public void warn(String message) {
        print(message);
    }

    /** Prints the line with the credentials of any URL in it masked: a log line names no one's password. */
    private synchronized void print(String message) {
        out.println("[" + LocalTime.now().format(TIME) + "] " + PrintableText.escape(SecretMask.URLS.mask(message)));
    }

    /** A logger for a function's {@code context.getLogger()} that writes here. */
    Logger functionLogger(String function) {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                String line = "  " + function + ": " + record.getMessage();
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warn(line);
                } else {
                    info(line);
                }
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
            }
        });
        return logger;
    }
}
