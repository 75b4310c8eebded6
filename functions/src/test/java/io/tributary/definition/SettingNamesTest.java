package io.tributary.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings a run resolves are those of its source and schedule, not any text between percent signs. */
class SettingNamesTest {

    private static PipelineDefinition read(String text) {
        DefinitionResult result = DefinitionReader.read("p.json", text, "p");
        return result.definition().orElseThrow(() -> new AssertionError(result.problems().toString()));
    }

    @Test
    void aDateFormatInAnExpressionNamesNoSettingWhileTheSourceAndScheduleDo() {
        PipelineDefinition definition = read("""
                {"schemaVersion": 1, "name": "p",
                 "schedule": {"cron": "%CRM_SCHEDULE%"},
                 "source": {"rest": {"url": "%CRM_API_URL%/contacts?since={watermark}",
                                     "headers": {"Authorization": "Bearer %CRM_API_TOKEN%"}},
                            "incremental": {"cursor": "updated_at"}},
                 "columns": [{"name": "id", "type": "long"}, {"name": "updated_at", "type": "timestamp"}],
                 "steps": [{"op": "derive", "columns": {"day": "strftime(updated_at, '%Y-%m-%d')"}}]}""");

        assertEquals(List.of("CRM_API_URL", "CRM_API_TOKEN", "CRM_SCHEDULE"), definition.settingNames());
    }

    @Test
    void aSqlSourceNamesItsUrlUserAndPassword() {
        PipelineDefinition definition = read("""
                {"schemaVersion": 1, "name": "p", "schedule": {"cron": "0 0 * * * *"},
                 "source": {"sql": {"url": "%ORDERS_DB_URL%", "user": "%ORDERS_DB_USER%",
                                    "password": "%ORDERS_DB_PASSWORD%",
                                    "query": "SELECT id, note FROM orders WHERE note LIKE '%done%'"}},
                 "columns": [{"name": "id", "type": "long"}, {"name": "note", "type": "string"}]}""");

        assertEquals(List.of("ORDERS_DB_URL", "ORDERS_DB_USER", "ORDERS_DB_PASSWORD"), definition.settingNames());
    }
}
