package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.DefinitionCheck;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.ExtractMessage;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.StageMessage;
import io.tributary.testing.MemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ticks of the schedule stage over blobs in memory: windows, marks and the missed-window policies. */
class ScheduleStageTest {

    private final MemoryBlobStore blobs = new MemoryBlobStore();
    private final List<StageMessage> sent = new ArrayList<>();
    private final Map<String, String> settings = new java.util.HashMap<>();

    private static PipelineDefinition hourly(String name, String schedule) {
        String text = "{\"schemaVersion\": 1, \"name\": \"" + name + "\", \"schedule\": " + schedule + ", "
                + "\"source\": {\"format\": \"csv\", \"blob\": \"reference/" + name + ".csv\"}}";
        return DefinitionReader.read(name + ".json", text, name).definition().orElseThrow(() ->
                new AssertionError(DefinitionReader.read(name + ".json", text, name).problems().toString()));
    }

    private ScheduleStage stage(PipelineDefinition... pipelines) {
        for (PipelineDefinition pipeline : pipelines) {
            blobs.put("reference", pipeline.name() + ".csv", "a\n1\n".getBytes(StandardCharsets.UTF_8));
        }
        PipelineCatalog catalog = PipelineCatalog.of(List.of(pipelines));
        RunStarter starter = new RunStarter(new RunStore(blobs), (queue, message) -> sent.add(message),
                Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC));
        return new ScheduleStage(() -> catalog, new WindowStarter(starter, blobs), new ScheduleMarks(blobs),
                name -> Optional.ofNullable(settings.get(name)), Duration.ofMinutes(1));
    }

    private static List<String> runIds(String pipeline, String... occurrences) {
        return java.util.Arrays.stream(occurrences).map(o -> RunId.forSchedule(pipeline, Instant.parse(o))).toList();
    }

    private static List<String> started(ScheduleStage.Tick tick) {
        return tick.runs().stream().map(RunStarter.Started::runId).toList();
    }

    @Test
    void aPipelineSeenForTheFirstTimeHasNoBacklogButStartsWhatIsDueNow() {
        ScheduleStage stage = stage(hourly("orders", "{\"cron\": \"0 0 * * * *\", \"missed\": \"catchUp\"}"));
        assertEquals(List.of(), started(stage.tick(Instant.parse("2026-11-22T06:30:00Z"))));
        assertEquals(runIds("orders", "2026-11-22T07:00:00Z"), started(stage.tick(Instant.parse("2026-11-22T07:00:20Z"))));
        assertEquals(List.of(), started(stage.tick(Instant.parse("2026-11-22T07:01:20Z"))));
    }

    @Test
    void eachRunGetsTheWindowFromThePreviousOccurrenceAsParameters() {
        ScheduleStage stage = stage(hourly("orders", "{\"cron\": \"0 0 6 * * 1-5\", \"timeZone\": \"Europe/Berlin\"}"));
        stage.tick(Instant.parse("2026-11-23T05:00:10Z"));
        String runId = RunId.forSchedule("orders", Instant.parse("2026-11-23T05:00:00Z"));
        assertEquals(Map.of("windowStart", "2026-11-20T05:00:00Z", "windowEnd", "2026-11-23T05:00:00Z"),
                new RunStore(blobs).record(runId).orElseThrow().parameters(), "Monday's window starts on Friday");
        assertEquals("schedule", new RunStore(blobs).record(runId).orElseThrow().trigger());
        assertEquals(List.of(new ExtractMessage(runId, "orders", new io.tributary.run.BlobRef("reference", "orders.csv",
                blobs.properties("reference", "orders.csv").orElseThrow().etag()))), sent);
    }

    @Test
    void catchUpStartsEachMissedWindowOldestFirstUpToTheLimit() {
        ScheduleStage stage = stage(hourly("orders", "{\"cron\": \"0 0 * * * *\", \"missed\": \"catchUp\", "
                + "\"maxCatchUp\": 3}"));
        stage.tick(Instant.parse("2026-11-22T01:00:05Z"));
        ScheduleStage.Tick afterDowntime = stage.tick(Instant.parse("2026-11-22T06:10:00Z"));
        assertEquals(runIds("orders", "2026-11-22T04:00:00Z", "2026-11-22T05:00:00Z", "2026-11-22T06:00:00Z"),
                started(afterDowntime));
        assertEquals(List.of("orders: skipped missed occurrences since 2026-11-22T01:00:00Z up to 2026-11-22T03:00:00Z "
                + "(beyond maxCatchUp 3; started the newest 3 windows)"), afterDowntime.notes());
        assertEquals(List.of(), started(stage.tick(Instant.parse("2026-11-22T06:11:00Z"))));
    }

    @Test
    void catchUpWithinTheLimitStartsEveryMissedWindowWithoutANote() {
        ScheduleStage stage = stage(hourly("orders", "{\"cron\": \"0 0 * * * *\", \"missed\": \"catchUp\"}"));
        stage.tick(Instant.parse("2026-11-22T01:00:05Z"));
        ScheduleStage.Tick tick = stage.tick(Instant.parse("2026-11-22T03:30:00Z"));
        assertEquals(runIds("orders", "2026-11-22T02:00:00Z", "2026-11-22T03:00:00Z"), started(tick));
        assertEquals(List.of(), tick.notes());
    }

    @Test
    void latestStartsOnlyTheNewestMissedWindow() {
        ScheduleStage stage = stage(hourly("orders", "{\"cron\": \"0 0 * * * *\"}"));
        stage.tick(Instant.parse("2026-11-22T01:00:05Z"));
        ScheduleStage.Tick tick = stage.tick(Instant.parse("2026-11-22T06:10:00Z"));
        assertEquals(runIds("orders", "2026-11-22T06:00:00Z"), started(tick));
        assertEquals(List.of("orders: skipped missed occurrences since 2026-11-22T01:00:00Z up to "
                + "2026-11-22T05:00:00Z (\"missed\": \"latest\" starts only the newest, 2026-11-22T06:00:00Z)"),
                tick.notes());
        assertEquals(Map.of("windowStart", "2026-11-22T05:00:00Z", "windowEnd", "2026-11-22T06:00:00Z"),
                new RunStore(blobs).record(started(tick).get(0)).orElseThrow().parameters());
    }

    @Test
    void skipStartsNoMissedWindowOnlyOneDueWithinTheTick() {
        ScheduleStage stage = stage(hourly("orders", "{\"cron\": \"0 0 * * * *\", \"missed\": \"skip\"}"));
        stage.tick(Instant.parse("2026-11-22T01:00:05Z"));
        ScheduleStage.Tick late = stage.tick(Instant.parse("2026-11-22T06:10:00Z"));
        assertEquals(List.of(), started(late));
        assertEquals(List.of("orders: skipped missed occurrences since 2026-11-22T01:00:00Z up to 2026-11-22T06:00:00Z "
                + "(\"missed\": \"skip\")"), late.notes());
        ScheduleStage.Tick onTime = stage.tick(Instant.parse("2026-11-22T07:00:30Z"));
        assertEquals(runIds("orders", "2026-11-22T07:00:00Z"), started(onTime));
        assertEquals(List.of(), onTime.notes());
    }

    @Test
    void anUnsetSettingIsReportedAndOtherPipelinesStillStart() {
        ScheduleStage stage = stage(hourly("orders", "{\"cron\": \"%ORDERS_SCHEDULE%\"}"),
                hourly("stock", "{\"cron\": \"0 0 * * * *\"}"));
        ScheduleStage.Tick tick = stage.tick(Instant.parse("2026-11-22T07:00:20Z"));
        assertEquals(runIds("stock", "2026-11-22T07:00:00Z"), started(tick));
        assertEquals(List.of("orders: the schedule names the app setting ORDERS_SCHEDULE, which is not set; set it to "
                + "an NCRONTAB expression such as \"0 0 6 * * *\" in local.settings.json (Values) when running "
                + "locally, or in the function app's settings in Azure"), tick.notes());
        settings.put("ORDERS_SCHEDULE", "0 0 * * * *");
        List<String> both = new ArrayList<>(runIds("orders", "2026-11-22T08:00:00Z"));
        both.addAll(runIds("stock", "2026-11-22T08:00:00Z"));
        assertEquals(both, started(stage.tick(Instant.parse("2026-11-22T08:00:20Z"))),
                "once set, the setting is read at the next tick");
    }

    @Test
    void aMissingSourceIsNotedAndTheOccurrenceStaysDue() {
        ScheduleStage stage = stage(hourly("orders", "{\"cron\": \"0 0 * * * *\"}"));
        blobs.delete("reference", "orders.csv");
        ScheduleStage.Tick tick = stage.tick(Instant.parse("2026-11-22T07:00:20Z"));
        assertEquals(List.of(), started(tick));
        assertEquals(List.of("orders: due at 2026-11-22T07:00:00Z but could not start: its source reference/orders.csv "
                + "does not exist; upload it (tributary upload FILE reference/orders.csv) or fix source.blob"),
                tick.notes());
        blobs.put("reference", "orders.csv", "a\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(runIds("orders", "2026-11-22T07:00:00Z"), started(stage.tick(Instant.parse("2026-11-22T07:01:20Z"))));
        assertEquals(List.of(), blobs.list(RunLayout.STATE, "schedules/").stream()
                .filter(n -> !n.equals("schedules/orders.json")).toList());
    }
}
