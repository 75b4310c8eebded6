package io.tributary.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The app settings are read once, into types, and every bad one is reported at once with what to set. */
class AppSettingsTest {

    private static AppSettings read(Map<String, String> values) {
        return AppSettings.read(name -> Optional.ofNullable(values.get(name)));
    }

    @Test
    void unsetSettingsTakeTheirDefaults() {
        AppSettings settings = read(Map.of("TRIBUTARY_PIPELINE_DEFS", "defs"));
        assertEquals(Duration.ofHours(24), settings.staleRun());
        assertEquals(Duration.ofSeconds(10), settings.holdRecheck());
        assertEquals(Runtime.getRuntime().availableProcessors(), settings.engineSlots());
        assertEquals("512MB", settings.limits().memoryLimit());
        assertEquals(1, settings.limits().threads());
        assertEquals(Path.of("defs"), settings.pipelineDefs());
    }

    @Test
    void setSettingsAreReadIntoTheirTypes() {
        AppSettings settings = read(Map.of("TRIBUTARY_STALE_RUN_HOURS", "6", "TRIBUTARY_HOLD_RECHECK_SECONDS", "3",
                "TRIBUTARY_ENGINE_SLOTS", "4", "TRIBUTARY_ENGINE_MEMORY", "1GB", "TRIBUTARY_WORK_DIR", "/w",
                FunctionApp.MAX_DEQUEUE_COUNT, "7"));
        assertEquals(List.of(Duration.ofHours(6), Duration.ofSeconds(3), 4, "1GB", Path.of("/w"), 7),
                List.of(settings.staleRun(), settings.holdRecheck(), settings.engineSlots(),
                        settings.limits().memoryLimit(), settings.workDir(), settings.maxDequeueCount()));
    }

    @Test
    void oneBadSettingIsNamedWithWhatItShouldBe() {
        for (String bad : List.of("0", "1.5", "a day")) {
            assertEquals("the app setting TRIBUTARY_STALE_RUN_HOURS must be a whole number, at least 1, a number of "
                    + "hours, such as 24; it is '" + bad + "'", assertThrows(IllegalStateException.class,
                    () -> read(Map.of("TRIBUTARY_STALE_RUN_HOURS", bad))).getMessage());
        }
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> read(Map.of(
                "TRIBUTARY_ENGINE_THREADS", "two", "TRIBUTARY_ENGINE_SLOTS", "0", "TRIBUTARY_HOLD_RECHECK_SECONDS", "-1")));
        assertEquals("3 app settings are not valid: "
                + "the app setting TRIBUTARY_ENGINE_THREADS must be a whole number, at least 1, such as 1; it is 'two'; "
                + "the app setting TRIBUTARY_ENGINE_SLOTS must be a whole number, at least 1, such as 2 (one per core); "
                + "it is '0'; the app setting TRIBUTARY_HOLD_RECHECK_SECONDS must be a whole number, at least 0, a "
                + "number of seconds, such as 10; it is '-1'", e.getMessage());
    }
}
