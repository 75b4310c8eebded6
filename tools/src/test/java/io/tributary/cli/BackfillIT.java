package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.run.RunId;
import io.tributary.run.RunRecord;
import io.tributary.stage.RunStore;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code tributary backfill} against a test Azurite: one run per window, and asking twice starts nothing new. */
class BackfillIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static Path project;

    @BeforeAll
    static void makeAProject() throws Exception {
        project = AZURITE.dataDir().resolve("project");
        Files.createDirectories(project.resolve("pipeline-defs"));
        CommandLineIT.writeSettings(project, AZURITE.connectionString());
        Files.writeString(project.resolve("pipeline-defs/hourly.json"), """
                {"schemaVersion": 1, "name": "hourly",
                 "schedule": {"cron": "0 0 */6 * * *", "timeZone": "Europe/Berlin"},
                 "source": {"format": "csv", "blob": "reference/hourly.csv"},
                 "columns": [{"name": "id", "type": "long"}]}""");
        Files.writeString(project.resolve("pipeline-defs/unscheduled.json"), """
                {"schemaVersion": 1, "name": "unscheduled", "source": {"format": "csv", "blob": "reference/hourly.csv"},
                 "columns": [{"name": "id", "type": "long"}]}""");
        Files.writeString(project.resolve("pipeline-defs/since-mark.json"), """
                {"schemaVersion": 1, "name": "since-mark",
                 "schedule": {"cron": "0 0 */6 * * *", "timeZone": "UTC"},
                 "source": {"rest": {"url": "http://127.0.0.1:9/items?after={watermark}"},
                            "incremental": {"cursor": "updated_at"}},
                 "columns": [{"name": "id", "type": "long"}, {"name": "updated_at", "type": "timestamp"}]}""");
        Files.writeString(project.resolve("pipeline-defs/windowed.json"), """
                {"schemaVersion": 1, "name": "windowed",
                 "schedule": {"cron": "0 0 */6 * * *", "timeZone": "UTC"},
                 "source": {"rest": {"url": "http://127.0.0.1:9/items?from={windowStart}&to={windowEnd}"}},
                 "columns": [{"name": "id", "type": "long"}]}""");
        var clients = AZURITE.clients();
        clients.createContainer("reference");
        Path csv = project.resolve("hourly.csv");
        Files.writeString(csv, "id\n1\n");
        new AzureBlobStore(clients.blobs()).upload("reference", "hourly.csv", csv);
    }

    private static List<RunId> runIds(String out) {
        Matcher m = Pattern.compile("(\\d{8}T\\d{6}Z-[0-9a-f]{10})").matcher(out);
        return m.results().map(r -> RunId.parse(r.group(1))).toList();
    }

    @Test
    void backfillingTwiceStartsEachWindowOnce() {
        CommandLineIT.Result first = CommandLineIT.run(project, "backfill", "hourly", "--from", "2026-11-22T00:00",
                "--to", "2026-11-22T12:00", "--force");
        assertEquals(0, first.status(), first.out() + first.err());
        List<RunId> expected = List.of(RunId.forSchedule("hourly", Instant.parse("2026-11-22T05:00:00Z")),
                RunId.forSchedule("hourly", Instant.parse("2026-11-22T11:00:00Z")));
        assertEquals(expected, runIds(first.out()), "06:00 and 12:00 Berlin time; 00:00 is outside (from, to]");
        assertEquals(List.of("started  " + expected.get(0) + "  2026-11-21T23:00:00Z .. 2026-11-22T05:00:00Z",
                "started  " + expected.get(1) + "  2026-11-22T05:00:00Z .. 2026-11-22T11:00:00Z",
                "Backfill of hourly: 2 windows, 2 runs started, 0 already there; concurrency 1."),
                first.out().lines().limit(3).toList());

        CommandLineIT.Result again = CommandLineIT.run(project, "backfill", "hourly", "--from", "2026-11-22T00:00",
                "--to", "2026-11-22T12:00", "--force");
        assertEquals(0, again.status(), again.out() + again.err());
        assertEquals(expected, runIds(again.out()));
        assertEquals("Backfill of hourly: 2 windows, 0 runs started, 2 already there; concurrency 1.",
                again.out().lines().toList().get(2));

        RunStore runs = new RunStore(new AzureBlobStore(AZURITE.clients().blobs()));
        RunRecord record = runs.record(expected.get(1)).orElseThrow();
        assertEquals("backfill", record.trigger());
        assertEquals(Map.of("windowStart", "2026-11-22T05:00:00Z", "windowEnd", "2026-11-22T11:00:00Z"),
                record.parameters());
        assertEquals(2, new io.tributary.history.RunHistory(runs).runs().stream()
                .filter(r -> r.pipeline().equals("hourly")).count(), "two runs, however often asked");
    }

    @Test
    void aSourceThatNeverReadsItsWindowIsRefusedUnlessForced() {
        CommandLineIT.Result refused = CommandLineIT.run(project, "backfill", "hourly", "--from", "2026-11-23T00:00",
                "--to", "2026-11-23T12:00");

        assertEquals(2, refused.status(), refused.out());
        assertEquals("", refused.out(), "nothing started");
        assertEquals("tributary backfill: pipeline 'hourly' never uses {windowStart} or {windowEnd} in the blob "
                + "reference/hourly.csv: each of the 2 windows would read the same data and commit it again as a dataset "
                + "of its own. Refer to the window in the source (a REST url as {windowStart}, a SQL query as "
                + ":windowStart), or add --force to start the runs anyway", refused.err().lines().findFirst().orElseThrow());
        assertEquals(0, new io.tributary.history.RunHistory(new RunStore(new AzureBlobStore(AZURITE.clients().blobs())))
                .runs().stream().filter(r -> r.parameters().getOrDefault("windowStart", "").startsWith("2026-11-23"))
                .count());

        CommandLineIT.Result incremental = CommandLineIT.run(project, "backfill", "since-mark", "--from",
                "2026-11-23T00:00", "--to", "2026-11-23T12:00");
        assertEquals(2, incremental.status(), incremental.out());
        assertTrue(incremental.err().startsWith("tributary backfill: pipeline 'since-mark' never uses {windowStart} "
                + "or {windowEnd} in its REST url and headers: it loads incrementally, so the first run would read "
                + "everything after the high-water mark and the other 1 nothing."), incremental.err());

        CommandLineIT.Result windowed = CommandLineIT.run(project, "backfill", "windowed", "--from", "2026-11-23T00:00",
                "--to", "2026-11-23T12:00");
        assertEquals(0, windowed.status(), windowed.out() + windowed.err());
        assertEquals(2, runIds(windowed.out()).size(), windowed.out());
    }

    @Test
    void tooManyWindowsOrNoScheduleIsRefusedClearly() {
        CommandLineIT.Result many = CommandLineIT.run(project, "backfill", "hourly", "--from", "2026-01-01T00:00:00Z",
                "--to", "2026-02-01T00:00:00Z");
        assertEquals(2, many.status());
        assertEquals("tributary backfill: hourly's schedule \"0 0 */6 * * *\" in Europe/Berlin fires more than 100 "
                + "times in (2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z]; narrow the range, or allow more with --max N",
                many.err().lines().findFirst().orElseThrow());
        CommandLineIT.Result none = CommandLineIT.run(project, "backfill", "unscheduled", "--from", "2026-01-01",
                "--to", "2026-01-02");
        assertEquals(1, none.status());
        assertEquals("tributary backfill: pipeline 'unscheduled' has no schedule; add \"schedule\": {\"cron\": "
                + "\"0 0 2 * * *\"}", none.err().lines().findFirst().orElseThrow());
    }
}
