package io.tributary.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TRIBUTARY_STALE_RUN_HOURS: how long a run may show no sign of life before the concurrency gate fails it. */
class StaleRunSettingTest {

    private static final String NAME = "TRIBUTARY_STALE_RUN_HOURS";

    @AfterEach
    void unset() {
        Settings.overlay(Map.of(NAME, ""));
    }

    @Test
    void aDayUnlessSet() {
        assertEquals(Duration.ofHours(24), FunctionApp.staleRun());
        Settings.overlay(Map.of(NAME, "6"));
        assertEquals(Duration.ofHours(6), FunctionApp.staleRun());
    }

    @Test
    void anythingButAWholeNumberOfHoursIsRefusedSayingWhatItShouldBe() {
        for (String bad : List.of("0", "1.5", "a day")) {
            Settings.overlay(Map.of(NAME, bad));
            assertEquals("the app setting TRIBUTARY_STALE_RUN_HOURS must be a whole number of hours, at least 1, "
                    + "such as 24; it is '" + bad + "'", assertThrows(IllegalStateException.class,
                    FunctionApp::staleRun).getMessage());
        }
    }
}
