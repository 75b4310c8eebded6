package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.access.SettingAccess;
import io.tributary.settings.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo opens its stand-ins' settings to the sample definitions, adding to what the settings list already. */
class DemoSourcesTest {

    @Test
    void theDemoAddsTheSettingsItsStandInsProvideThatTheListLacks() {
        Optional<String> before = Settings.get(SettingAccess.SETTING);
        try {
            Settings.overlay(Map.of(SettingAccess.SETTING, "PAYROLL_*,CRM_API_URL"));

            DemoSources.allowSettings();
            DemoSources.allowSettings();

            assertEquals(Optional.of("PAYROLL_*,CRM_API_URL,CRM_API_TOKEN,ORDERS_DB_URL,ORDERS_DB_USER,"
                    + "ORDERS_DB_PASSWORD"), Settings.get(SettingAccess.SETTING));
        } finally {
            Settings.overlay(Map.of(SettingAccess.SETTING, before.orElse("")));
        }
    }
}
