package io.tributary.definition.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Month and day names in NCRONTAB, as NCrontab and so the Azure Functions host read them. */
class NcrontabNamesTest {

    /** The next {@code count} occurrences after Sunday 22 November 2026, 00:00 UTC. */
    private static List<String> next(String cron, int count) {
        Ncrontab expression = Ncrontab.parse(cron);
        List<String> times = new ArrayList<>();
        Instant cursor = Instant.parse("2026-11-22T00:00:00Z");
        for (int i = 0; i < count; i++) {
            cursor = expression.next(cursor, ZoneOffset.UTC).orElseThrow();
            times.add(cursor.toString());
        }
        return times;
    }

    @Test
    void fullDayNamesInAnyCaseAreTheDaysNumbers() {
        List<String> sundays = List.of("2026-11-22T06:00:00Z", "2026-11-29T06:00:00Z");
        assertEquals(sundays, next("0 0 6 * * 0", 2));
        assertEquals(sundays, next("0 0 6 * * Sunday", 2));
        assertEquals(sundays, next("0 0 6 * * sunday", 2));
        assertEquals(sundays, next("0 0 6 * * SUN", 2));
        assertEquals(next("0 0 6 * * 1-5", 6), next("0 0 6 * * MON-fri", 6));
        assertEquals(next("0 0 6 * * 1-5", 6), next("0 0 6 * * Monday-Friday", 6));
        assertEquals(next("0 0 6 * * 2,4", 4), next("0 0 6 * * tuesday,Thu", 4));
    }

    @Test
    void fullMonthNamesAndRangesOfThemAreTheMonthsNumbers() {
        assertEquals(List.of("2027-02-01T00:00:00Z", "2027-04-01T00:00:00Z", "2027-05-01T00:00:00Z",
                "2027-06-01T00:00:00Z", "2028-02-01T00:00:00Z"), next("0 0 0 1 February,April-Jun *", 5));
        assertEquals(next("0 0 0 1 2,4-6 *", 5), next("0 0 0 1 february,APRIL-june *", 5));
        assertEquals(next("0 0 0 1 12 *", 2), next("0 0 0 1 Dec *", 2));
    }

    @Test
    void theExpressionIsKeptAsWritten() {
        assertEquals("0 0 6 * * MON-fri", Ncrontab.parse("0 0 6 * * MON-fri").toString());
    }

    @Test
    void aNameThatIsNoneSaysWhichAndSuggestsOne() {
        IllegalArgumentException day = assertThrows(IllegalArgumentException.class,
                () -> Ncrontab.parse("0 0 6 * * Sundy"));
        assertEquals("'0 0 6 * * Sundy' is not a valid NCRONTAB expression: 'Sundy' is not a day of the week; did you "
                + "mean 'Sunday'?; use 0-6 (0 is Sunday) or Sunday-Saturday, whole or shortened (Mon)", day.getMessage());
        IllegalArgumentException month = assertThrows(IllegalArgumentException.class,
                () -> Ncrontab.parse("0 0 6 1 Febuary *"));
        assertEquals("'0 0 6 1 Febuary *' is not a valid NCRONTAB expression: 'Febuary' is not a month; did you mean "
                + "'February'?; use 1-12 or January-December, whole or shortened (Feb)", month.getMessage());
        IllegalArgumentException hour = assertThrows(IllegalArgumentException.class,
                () -> Ncrontab.parse("0 0 six * * *"));
        assertEquals("'0 0 six * * *' is not a valid NCRONTAB expression: the hour field 'six' holds 'six', which is "
                + "not a number", hour.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> Ncrontab.parse("0 61 * * * *"));
        assertEquals("'0 61 * * * *' is not a valid NCRONTAB expression: Value 61 not in range [0, 59]",
                range.getMessage());
    }

    @Test
    void validateAcceptsNamedSchedulesAndReportsAMisspeltOneAtItsPointer() {
        DefinitionResult named = DefinitionReader.read("p.json", """
                {"schemaVersion": 1, "name": "p", "schedule": {"cron": "0 0 6 * February,April-Jun Sunday"},
                 "source": {"format": "csv", "blob": "ref/p.csv"}}""", "p");
        assertEquals(List.of(), named.problems());
        DefinitionResult misspelt = DefinitionReader.read("p.json", """
                {"schemaVersion": 1, "name": "p", "schedule": {"cron": "0 0 6 * * Mnday"},
                 "source": {"format": "csv", "blob": "ref/p.csv"}}""", "p");
        assertEquals(1, misspelt.problems().size(), misspelt.problems().toString());
        assertEquals("/schedule/cron", misspelt.problems().get(0).pointer());
        assertEquals("'0 0 6 * * Mnday' is not a valid NCRONTAB expression: 'Mnday' is not a day of the week; did you "
                + "mean 'Monday'?; use 0-6 (0 is Sunday) or Sunday-Saturday, whole or shortened (Mon)",
                misspelt.problems().get(0).message());
    }
}
