package io.tributary.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.testing.CapturedLog;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Every line logged while a run is bound says which run, pipeline, stage and chunk. */
class LogContextTest {

    private static final Logger LOG = LogContext.logger(LogContextTest.class);

    @Test
    void tagsLinesWhileARunIsBoundAndRestoresTheBindingBefore() {
        assertEquals("plain", LogContext.tag("plain"));
        try (LogContext.Scope outer = LogContext.open("R1", "orders", "store", -1)) {
            assertEquals("[run=R1 pipeline=orders stage=store chunk=-] done", LogContext.tag("done"));
            try (LogContext.Scope inner = LogContext.open("R2", "events", "transform", 3)) {
                assertEquals("[run=R2 pipeline=events stage=transform chunk=3] done", LogContext.tag("done"));
                assertEquals("[run=R2 pipeline=events stage=transform chunk=3] done",
                        LogContext.tag(LogContext.tag("done")), "tagged once");
            }
            assertEquals("[run=R1 pipeline=orders stage=store chunk=-] done", LogContext.tag("done"));
        }
        assertEquals(Optional.empty(), LogContext.current());
    }

    @Test
    void aStageClassLoggerTagsItsLinesForItsHandlersAndItsParents() {
        try (CapturedLog log = new CapturedLog(LogContextTest.class)) {
            LOG.info("before");
            try (LogContext.Scope scope = LogContext.open("R3", "orders", "combine", 0)) {
                LOG.warning("bucket written");
            }
            assertEquals(List.of("INFO before", "WARNING [run=R3 pipeline=orders stage=combine chunk=0] bucket written"),
                    log.lines());
        }
    }
}
