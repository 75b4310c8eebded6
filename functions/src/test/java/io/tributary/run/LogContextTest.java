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
    private static final RunId R1 = RunId.parse("20261122T054001Z-0000000001");
    private static final RunId R2 = RunId.parse("20261122T054002Z-0000000002");
    private static final RunId R3 = RunId.parse("20261122T054003Z-0000000003");
    private static final RunId R4 = RunId.parse("20261122T054004Z-0000000004");

    @Test
    void tagsLinesWhileARunIsBoundAndRestoresTheBindingBefore() {
        assertEquals("plain", LogContext.tag("plain"));
        try (LogContext.Scope outer = LogContext.open(R1, "orders", Stage.STORE, -1)) {
            assertEquals("[run=" + R1 + " pipeline=orders stage=store chunk=-] done", LogContext.tag("done"));
            try (LogContext.Scope inner = LogContext.open(R2, "events", Stage.TRANSFORM, 3)) {
                assertEquals("[run=" + R2 + " pipeline=events stage=transform chunk=3] done", LogContext.tag("done"));
                assertEquals("[run=" + R2 + " pipeline=events stage=transform chunk=3] done",
                        LogContext.tag(LogContext.tag("done")), "tagged once");
            }
            assertEquals("[run=" + R1 + " pipeline=orders stage=store chunk=-] done", LogContext.tag("done"));
        }
        assertEquals(Optional.empty(), LogContext.current());
    }

    @Test
    void aStageClassLoggerTagsItsLinesForItsHandlersAndItsParents() {
        try (CapturedLog log = new CapturedLog(LogContextTest.class)) {
            LOG.info("before");
            try (LogContext.Scope scope = LogContext.open(R3, "orders", Stage.COMBINE, 0)) {
                LOG.warning("bucket written");
            }
            assertEquals(List.of("INFO before", "WARNING [run=" + R3 + " pipeline=orders stage=combine chunk=0] bucket written"),
                    log.lines());
        }
    }

    @Test
    void aLineCarriesNamesAndMessagesOnOneLineWithTheirControlCharactersEscaped() {
        assertEquals("start of x\\n[07:00] forged refused", LogContext.tag("start of x\n[07:00] forged refused"));
        try (LogContext.Scope scope = LogContext.open(R4, "orders\r\u001b[2K", Stage.EXTRACT, -1);
             CapturedLog log = new CapturedLog(LogContextTest.class)) {
            LOG.warning("read landing/a\nb.csv");
            assertEquals(List.of("WARNING [run=" + R4 + " pipeline=orders\\r\\u001b[2K stage=extract chunk=-] read "
                    + "landing/a\\nb.csv"), log.lines());
        }
    }
}
