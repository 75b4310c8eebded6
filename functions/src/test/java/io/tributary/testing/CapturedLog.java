package io.tributary.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What the {@code java.util.logging} loggers of some classes logged while it was open, as "LEVEL message". */
public final class CapturedLog implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Logger> loggers;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public CapturedLog(Class<?>... types) {
        loggers = java.util.Arrays.stream(types).map(t -> Logger.getLogger(t.getName())).toList();
        handler.setLevel(Level.ALL);
        loggers.forEach(l -> l.addHandler(handler));
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        loggers.forEach(l -> l.removeHandler(handler));
    }
}
