package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.run.Json;
import io.tributary.settings.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary schedule}: what it prints, and its errors; no storage needed. */
class ScheduleCommandTest {

    @TempDir
    Path project;

    record Result(int status, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), project, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @AfterEach
    void forgetSettings() {
        Settings.clearOverlay();
    }

    private void pipeline(String name, String schedule) throws Exception {
        Files.createDirectories(project.resolve("pipeline-defs"));
        Files.writeString(project.resolve("pipeline-defs").resolve(name + ".json"), "{\"schemaVersion\": 1, \"name\": \""
                + name + "\", \"schedule\": " + schedule + ", \"source\": {\"format\": \"csv\", \"blob\": \"ref/a.csv\"}}");
    }

    @Test
    void printsTheNextTimesOnTheZonesWallClockAndInUtcAcrossTheSpringForward() {
        Result result = run("schedule", "--cron", "0 30 2 * * *", "--time-zone", "Europe/Berlin", "--after",
                "2026-03-28", "--next", "3");
        assertEquals(0, result.status(), result.err());
        assertEquals("""
                Next 3 firing times of "0 30 2 * * *" in Europe/Berlin after 2026-03-28T00:00:00+01:00:
                2026-03-28T02:30:00+01:00  2026-03-28T01:30:00Z
                2026-03-29T03:30:00+02:00  2026-03-29T01:30:00Z
                2026-03-30T02:30:00+02:00  2026-03-30T00:30:00Z
                """, result.out());
    }

    @Test
    void aPipelinesScheduleUsesItsZoneAndAnInstantAfter() throws Exception {
        pipeline("orders", "{\"cron\": \"0 0 6 * * 1-5\", \"timeZone\": \"Europe/Berlin\"}");
        Result result = run("schedule", "orders", "--after", "2026-11-20T05:00:00Z", "--next", "2");
        assertEquals(0, result.status(), result.err());
        assertEquals("""
                Next 2 firing times of "0 0 6 * * 1-5" in Europe/Berlin after 2026-11-20T06:00:00+01:00:
                2026-11-23T06:00:00+01:00  2026-11-23T05:00:00Z
                2026-11-24T06:00:00+01:00  2026-11-24T05:00:00Z
                """, result.out());
    }

    @Test
    void aSettingReferenceIsReadFromLocalSettingsAndAnUnsetOneSaysSo() throws Exception {
        pipeline("orders", "{\"cron\": \"%ORDERS_SCHEDULE%\"}");
        Result unset = run("schedule", "orders", "--next", "1");
        assertEquals(1, unset.status());
        assertEquals("tributary schedule: pipeline 'orders': the schedule names the app setting ORDERS_SCHEDULE, "
                + "which is not set; set it to an NCRONTAB expression such as \"0 0 6 * * *\" in local.settings.json "
                + "(Values) when running locally, or in the function app's settings in Azure\n", unset.err());

        Files.writeString(project.resolve("local.settings.json"),
                "{\"Values\": {\"ORDERS_SCHEDULE\": \"0 15 * * * *\"}}");
        Result set = run("schedule", "orders", "--after", "2026-11-22T06:00:00Z", "--next", "1");
        assertEquals(0, set.status(), set.err());
        assertEquals("""
                Next 1 firing times of "0 15 * * * *" in UTC after 2026-11-22T06:00:00Z:
                2026-11-22T06:15:00Z  2026-11-22T06:15:00Z
                """, set.out());
    }

    @Test
    void badInputIsAUsageErrorThatSaysHowToWriteIt() throws Exception {
        assertEquals(new Result(2, "", "tributary schedule: --after 'tomorrow' is not a time; write an ISO-8601 "
                + "instant such as 2026-11-22T06:00:00Z, or a local date-time or date such as 2026-11-22T06:00 or "
                + "2026-11-22 (read in UTC)\nrun 'tributary help' for usage\n"),
                run("schedule", "--cron", "0 0 6 * * *", "--after", "tomorrow"));
        assertEquals(new Result(2, "", "tributary schedule: --cron '0 6 * * *' has 5 fields; NCRONTAB needs six, "
                + "seconds first: {second} {minute} {hour} {day} {month} {day-of-week}, e.g. \"0 */5 * * * *\"\n"
                + "run 'tributary help' for usage\n"), run("schedule", "--cron", "0 6 * * *"));
        assertEquals(new Result(2, "", "tributary schedule: --time-zone 'Europe/Berln' is not a time zone; did you "
                + "mean 'Europe/Berlin'?; use an IANA name such as Europe/Berlin or UTC\nrun 'tributary help' for usage\n"),
                run("schedule", "--cron", "0 0 6 * * *", "--time-zone", "Europe/Berln"));
        pipeline("plain", "{\"cron\": \"0 0 6 * * *\"}");
        assertEquals(2, run("schedule", "plain", "--cron", "0 0 6 * * *").status());
        assertEquals(2, run("backfill", "plain", "--from", "2026-11-22").status(), "--to is required");
    }

    @Test
    void namedDaysAndMonthsAreAcceptedInAnyCase() {
        Result result = run("schedule", "--cron", "0 0 6 * February,April-Jun sunday", "--after", "2026-11-22",
                "--next", "2");
        assertEquals(0, result.status(), result.err());
        assertEquals("""
                Next 2 firing times of "0 0 6 * February,April-Jun sunday" in UTC after 2026-11-22T00:00:00Z:
                2027-02-07T06:00:00Z  2027-02-07T06:00:00Z
                2027-02-14T06:00:00Z  2027-02-14T06:00:00Z
                """, result.out());
        Result misspelt = run("schedule", "--cron", "0 0 6 * * Fryday");
        assertEquals(2, misspelt.status());
        assertEquals("tributary schedule: --cron '0 0 6 * * Fryday' is not a valid NCRONTAB expression: 'Fryday' is "
                + "not a day of the week; did you mean 'Friday'?; use 0-6 (0 is Sunday) or Sunday-Saturday, whole or "
                + "shortened (Mon)\nrun 'tributary help' for usage\n", misspelt.err());
    }

    @Test
    void withoutAPipelineEveryScheduledPipelineIsListedWithItsZone() throws Exception {
        pipeline("orders", "{\"cron\": \"0 0 6 * * MON-fri\", \"timeZone\": \"Europe/Berlin\"}");
        pipeline("hourly", "{\"cron\": \"0 15 * * * *\"}");
        pipeline("unset", "{\"cron\": \"%UNSET_SCHEDULE%\"}");
        Files.writeString(project.resolve("pipeline-defs/dropped.json"), "{\"schemaVersion\": 1, \"name\": \"dropped\", "
                + "\"trigger\": {\"type\": \"fileDrop\", \"path\": \"d/*.csv\"}, \"source\": {\"format\": \"csv\"}}");

        Result result = run("schedule", "--next", "2", "--after", "2026-11-20T05:00:00Z");

        assertEquals(1, result.status(), "a schedule that cannot be read is a failure: " + result.err());
        assertEquals("""
                Next 2 firing times of each scheduled pipeline after 2026-11-20T05:00:00Z:
                hourly: "0 15 * * * *" in UTC
                  2026-11-20T05:15:00Z  2026-11-20T05:15:00Z
                  2026-11-20T06:15:00Z  2026-11-20T06:15:00Z
                orders: "0 0 6 * * MON-fri" in Europe/Berlin
                  2026-11-23T06:00:00+01:00  2026-11-23T05:00:00Z
                  2026-11-24T06:00:00+01:00  2026-11-24T05:00:00Z
                unset: "%UNSET_SCHEDULE%" in UTC
                  cannot be read: the schedule names the app setting UNSET_SCHEDULE, which is not set; set it to an \
                NCRONTAB expression such as "0 0 6 * * *" in local.settings.json (Values) when running locally, or in \
                the function app's settings in Azure
                """, result.out());

        Result json = run("schedule", "--next", "1", "--after", "2026-11-20T05:00:00Z", "--json");
        JsonNode parsed = Json.MAPPER.readTree(json.out());
        assertEquals("2026-11-20T05:00:00Z", parsed.get("after").asText());
        JsonNode orders = parsed.get("schedules").get(1);
        assertEquals(List.of("orders", "0 0 6 * * MON-fri", "Europe/Berlin", "2026-11-23T05:00:00Z",
                "2026-11-23T06:00:00+01:00"), List.of(orders.get("pipeline").asText(), orders.get("cron").asText(),
                orders.get("timeZone").asText(), orders.at("/next/0/at").asText(),
                orders.at("/next/0/wallClock").asText()));
        assertEquals(List.of("hourly", "orders", "unset"), parsed.get("schedules").findValuesAsText("pipeline"));
        assertEquals(0, parsed.at("/schedules/2/next").size());
        assertTrue(parsed.at("/schedules/2/error").asText().startsWith("the schedule names the app setting"));

        assertEquals(2, run("schedule", "--time-zone", "UTC").status(), "--time-zone needs one schedule");
    }

    @Test
    void aPipelinesScheduleAsJson() throws Exception {
        pipeline("orders", "{\"cron\": \"0 0 6 * * 1-5\", \"timeZone\": \"Europe/Berlin\"}");
        Result result = run("schedule", "orders", "--after", "2026-11-20T05:00:00Z", "--next", "1", "--json");
        assertEquals(0, result.status(), result.err());
        assertEquals("{\"after\":\"2026-11-20T05:00:00Z\",\"schedules\":[{\"pipeline\":\"orders\",\"cron\":\"0 0 6 * * 1-5\","
                + "\"timeZone\":\"Europe/Berlin\",\"next\":[{\"at\":\"2026-11-23T05:00:00Z\","
                + "\"wallClock\":\"2026-11-23T06:00:00+01:00\"}],\"error\":null}]}",
                Json.compact(Json.MAPPER.readTree(result.out())));
    }

    @Test
    void theHostsStartUpLineShowsEveryScheduleWithItsZone() {
        var utc = io.tributary.definition.DefinitionReader.read("p.json", "{\"schemaVersion\": 1, \"name\": \"p\", "
                + "\"schedule\": {\"cron\": \"0 0 6 * * *\"}, \"source\": {\"format\": \"csv\", \"blob\": \"ref/a.csv\"}}",
                "p").definition().orElseThrow();
        assertEquals("  pipeline p ⏱ 0 0 6 * * * in UTC", HostCommand.describe(utc));
    }
}
