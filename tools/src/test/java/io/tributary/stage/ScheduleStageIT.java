package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.DefinitionCheck;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.BlobStore;
import io.tributary.run.ExtractMessage;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.StageMessage;
import io.tributary.start.RunStarter;
import io.tributary.start.ScheduleMarks;
import io.tributary.start.ScheduleStage;
import io.tributary.start.WindowStarter;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ticks of the schedule stage on Azurite: windows, marks and the missed-window policies. The tests share one
 * Azurite, so each names its own pipelines: their marks, run records and sources do not meet.
 */
class ScheduleStageIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static BlobStore blobs;

    private final List<StageMessage> sent = new ArrayList<>();
    private final Map<String, String> settings = new java.util.HashMap<>(Map.of("TRIBUTARY_DEFINITION_SETTINGS",
            "ORDERS_*"));

    @BeforeAll
    static void connect() {
        var clients = AZURITE.clients();
        clients.createContainer("reference");
        blobs = new AzureBlobStore(clients.blobs());
    }

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

    private static List<RunId> runIds(String pipeline, String... occurrences) {
        return java.util.Arrays.stream(occurrences).map(o -> RunId.forSchedule(pipeline, Instant.parse(o))).toList();
    }

    private static List<RunId> started(ScheduleStage.Tick tick) {
        return tick.runs().stream().map(RunStarter.Started::runId).toList();
    }

    @Test
    void aPipelineSeenForTheFirstTimeHasNoBacklogButStartsWhatIsDueNow() {
        ScheduleStage stage = stage(hourly("first-seen", "{\"cron\": \"0 0 * * * *\", \"missed\": \"catchUp\"}"));
        assertEquals(List.of(), started(stage.tick(Instant.parse("2026-11-22T06:30:00Z"))));
        assertEquals(runIds("first-seen", "2026-11-22T07:00:00Z"),
                started(stage.tick(Instant.parse("2026-11-22T07:00:20Z"))));
        assertEquals(List.of(), started(stage.tick(Instant.parse("2026-11-22T07:01:20Z"))));
    }

    @Test
    void eachRunGetsTheWindowFromThePreviousOccurrenceAsParameters() {
        ScheduleStage stage = stage(hourly("weekdays",
                "{\"cron\": \"0 0 6 * * 1-5\", \"timeZone\": \"Europe/Berlin\"}"));
        stage.tick(Instant.parse("2026-11-23T05:00:10Z"));
        RunId runId = RunId.forSchedule("weekdays", Instant.parse("2026-11-23T05:00:00Z"));
        assertEquals(Map.of("windowStart", "2026-11-20T05:00:00Z", "windowEnd", "2026-11-23T05:00:00Z"),
                new RunStore(blobs).record(runId).orElseThrow().parameters(), "Monday's window starts on Friday");
        assertEquals("schedule", new RunStore(blobs).record(runId).orElseThrow().trigger());
        assertEquals(List.of(new ExtractMessage(runId, "weekdays", new io.tributary.run.BlobRef("reference",
                "weekdays.csv", blobs.properties("reference", "weekdays.csv").orElseThrow().etag()))), sent);
    }

    @Test
    void catchUpStartsTheOldestMissedWindowsUpToTheLimitAndTheNextTicksGoOnWithTheRest() {
        ScheduleStage stage = stage(hourly("catch-up", "{\"cron\": \"0 0 * * * *\", \"missed\": \"catchUp\", "
                + "\"maxCatchUp\": 3}"));
        ScheduleMarks marks = new ScheduleMarks(blobs);
        assertEquals(runIds("catch-up", "2026-11-22T01:00:00Z"), started(stage.tick(Instant.parse("2026-11-22T01:00:05Z"))));
        assertEquals(Optional.of(Instant.parse("2026-11-22T01:00:00Z")), marks.read("catch-up"));

        ScheduleStage.Tick afterDowntime = stage.tick(Instant.parse("2026-11-22T06:10:00Z"));
        assertEquals(runIds("catch-up", "2026-11-22T02:00:00Z", "2026-11-22T03:00:00Z", "2026-11-22T04:00:00Z"),
                started(afterDowntime), "the oldest three of the five missed windows");
        assertEquals(List.of("catch-up: catching up: started the oldest 3 missed windows since 2026-11-22T01:00:00Z "
                + "(maxCatchUp 3); the next tick goes on from 2026-11-22T05:00:00Z"), afterDowntime.notes());
        assertEquals(Optional.of(Instant.parse("2026-11-22T04:00:00Z")), marks.read("catch-up"),
                "the mark stops at the last window started");
        assertEquals(List.of(
                Map.of("windowStart", "2026-11-22T01:00:00Z", "windowEnd", "2026-11-22T02:00:00Z"),
                Map.of("windowStart", "2026-11-22T02:00:00Z", "windowEnd", "2026-11-22T03:00:00Z"),
                Map.of("windowStart", "2026-11-22T03:00:00Z", "windowEnd", "2026-11-22T04:00:00Z")),
                started(afterDowntime).stream().map(id -> new RunStore(blobs).record(id).orElseThrow().parameters())
                        .toList());

        ScheduleStage.Tick next = stage.tick(Instant.parse("2026-11-22T06:11:00Z"));
        assertEquals(runIds("catch-up", "2026-11-22T05:00:00Z", "2026-11-22T06:00:00Z"), started(next),
                "the rest of the backlog, none skipped");
        assertEquals(List.of(), next.notes());
        assertEquals(Optional.of(Instant.parse("2026-11-22T06:00:00Z")), marks.read("catch-up"));
        assertEquals(Map.of("windowStart", "2026-11-22T05:00:00Z", "windowEnd", "2026-11-22T06:00:00Z"),
                new RunStore(blobs).record(started(next).get(1)).orElseThrow().parameters());

        assertEquals(List.of(), started(stage.tick(Instant.parse("2026-11-22T06:12:00Z"))), "caught up");
        assertEquals(runIds("catch-up", "2026-11-22T07:00:00Z"),
                started(stage.tick(Instant.parse("2026-11-22T07:00:20Z"))));
    }

    @Test
    void aLongBacklogIsCaughtUpOverAsManyTicksAsItTakesWithTheDueOccurrenceInTurn() {
        ScheduleStage stage = stage(hourly("catch-up-long", "{\"cron\": \"0 0 * * * *\", \"missed\": \"catchUp\", "
                + "\"maxCatchUp\": 2}"));
        stage.tick(Instant.parse("2026-11-22T01:00:05Z"));
        List<List<RunId>> ticks = new ArrayList<>();
        for (String now : List.of("2026-11-22T05:00:10Z", "2026-11-22T05:01:10Z", "2026-11-22T05:02:10Z",
                "2026-11-22T05:03:10Z")) {
            ticks.add(started(stage.tick(Instant.parse(now))));
        }
        assertEquals(List.of(
                runIds("catch-up-long", "2026-11-22T02:00:00Z", "2026-11-22T03:00:00Z"),
                runIds("catch-up-long", "2026-11-22T04:00:00Z", "2026-11-22T05:00:00Z"),
                List.of(), List.of()), ticks, "the occurrence due at 05:00 starts once the older ones have");
    }

    @Test
    void catchUpWithinTheLimitStartsEveryMissedWindowWithoutANote() {
        ScheduleStage stage = stage(hourly("catch-up-within", "{\"cron\": \"0 0 * * * *\", \"missed\": \"catchUp\"}"));
        stage.tick(Instant.parse("2026-11-22T01:00:05Z"));
        ScheduleStage.Tick tick = stage.tick(Instant.parse("2026-11-22T03:30:00Z"));
        assertEquals(runIds("catch-up-within", "2026-11-22T02:00:00Z", "2026-11-22T03:00:00Z"), started(tick));
        assertEquals(List.of(), tick.notes());
    }

    @Test
    void latestStartsOnlyTheNewestMissedWindow() {
        ScheduleStage stage = stage(hourly("latest-only", "{\"cron\": \"0 0 * * * *\"}"));
        stage.tick(Instant.parse("2026-11-22T01:00:05Z"));
        ScheduleStage.Tick tick = stage.tick(Instant.parse("2026-11-22T06:10:00Z"));
        assertEquals(runIds("latest-only", "2026-11-22T06:00:00Z"), started(tick));
        assertEquals(List.of("latest-only: skipped missed occurrences since 2026-11-22T01:00:00Z up to "
                + "2026-11-22T05:00:00Z (\"missed\": \"latest\" starts only the newest, 2026-11-22T06:00:00Z)"),
                tick.notes());
        assertEquals(Map.of("windowStart", "2026-11-22T05:00:00Z", "windowEnd", "2026-11-22T06:00:00Z"),
                new RunStore(blobs).record(started(tick).get(0)).orElseThrow().parameters());
    }

    @Test
    void skipStartsNoMissedWindowOnlyOneDueWithinTheTick() {
        ScheduleStage stage = stage(hourly("skipping", "{\"cron\": \"0 0 * * * *\", \"missed\": \"skip\"}"));
        stage.tick(Instant.parse("2026-11-22T01:00:05Z"));
        ScheduleStage.Tick late = stage.tick(Instant.parse("2026-11-22T06:10:00Z"));
        assertEquals(List.of(), started(late));
        assertEquals(List.of("skipping: skipped missed occurrences since 2026-11-22T01:00:00Z up to "
                + "2026-11-22T06:00:00Z (\"missed\": \"skip\")"), late.notes());
        ScheduleStage.Tick onTime = stage.tick(Instant.parse("2026-11-22T07:00:30Z"));
        assertEquals(runIds("skipping", "2026-11-22T07:00:00Z"), started(onTime));
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
        List<RunId> both = new ArrayList<>(runIds("orders", "2026-11-22T08:00:00Z"));
        both.addAll(runIds("stock", "2026-11-22T08:00:00Z"));
        assertEquals(both, started(stage.tick(Instant.parse("2026-11-22T08:00:20Z"))),
                "once set, the setting is read at the next tick");
    }

    @Test
    void aScheduleThatNamesTheHostsStorageSettingStartsNothingAndNeverShowsItsValue() {
        // As validated it named ORDERS_SCHEDULE; a definition that got past validation names AzureWebJobsStorage.
        PipelineDefinition read = hourly("leaky", "{\"cron\": \"%ORDERS_SCHEDULE%\"}");
        PipelineDefinition leaky = new PipelineDefinition(read.name(), read.description(), read.fileDrop(),
                Optional.of(io.tributary.definition.trigger.ScheduleTrigger.utc("%AzureWebJobsStorage%")), read.dataset(),
                read.sourceBlob(), read.fetched(), read.incremental(), read.source(), read.columns(), read.schemaDrift(),
                read.steps(), read.expectations(), read.split(), read.output(), read.concurrency(),
                read.maxRejectedFraction(), read.chunkSize(), read.inferenceSample(), read.alerts(), read.job(), read.onCommit(), read.hash(),
                read.text().replace("%ORDERS_SCHEDULE%", "%AzureWebJobsStorage%"));
        settings.put("AzureWebJobsStorage", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=c2VjcmV0LWtleQ==");

        ScheduleStage.Tick tick = stage(leaky).tick(Instant.parse("2026-11-22T07:00:20Z"));

        assertEquals(List.of(), started(tick));
        assertEquals(List.of("leaky: the schedule names %AzureWebJobsStorage%, and the app setting AzureWebJobsStorage "
                + "belongs to the Functions host (its storage account with the account key, its secrets and key vault) "
                + "(AzureWeb*), and no definition may read it, whatever TRIBUTARY_DEFINITION_SETTINGS lists: give what "
                + "the source needs a setting of its own, such as CRM_API_TOKEN, and add that to "
                + "TRIBUTARY_DEFINITION_SETTINGS"), tick.notes());
    }

    @Test
    void aPipelineWhoseSourceSettingsAreUnsetWaitsForThemAndSaysSoOnce() {
        // The definition's source names settings that this host does not have.
        PipelineDefinition api = DefinitionReader.read("api-orders.json", """
                {"schemaVersion": 1, "name": "api-orders", "schedule": {"cron": "0 0 * * * *"},
                 "source": {"rest": {"url": "%ORDERS_API_URL%/orders", "headers": {"Authorization": "Bearer %ORDERS_TOKEN%"}}}}""",
                null).definition().orElseThrow();
        ScheduleStage waiting = stage(api);

        ScheduleStage.Tick first = waiting.tick(Instant.parse("2026-11-22T07:00:20Z"));
        ScheduleStage.Tick second = waiting.tick(Instant.parse("2026-11-22T08:00:20Z"));

        assertEquals(List.of(), started(first));
        assertEquals(List.of("api-orders: waits for its settings ORDERS_API_URL, ORDERS_TOKEN to be set (in "
                + "local.settings.json, or the function app's settings in Azure); its schedule starts runs once they "
                + "are"), first.notes());
        assertEquals(List.of(), started(second));
        assertEquals(List.of(), second.notes(), "said once");
        settings.put("ORDERS_API_URL", "http://127.0.0.1:9");
        settings.put("ORDERS_TOKEN", "t");
        assertEquals(runIds("api-orders", "2026-11-22T09:00:00Z"),
                started(waiting.tick(Instant.parse("2026-11-22T09:00:20Z"))), "once set, the schedule starts runs");
    }

    @Test
    void aMissingSourceIsNotedAndTheOccurrenceStaysDue() {
        ScheduleStage stage = stage(hourly("missing-source", "{\"cron\": \"0 0 * * * *\"}"));
        blobs.delete("reference", "missing-source.csv");
        List<String> othersMarks = blobs.list(RunLayout.STATE, "schedules/");
        ScheduleStage.Tick tick = stage.tick(Instant.parse("2026-11-22T07:00:20Z"));
        assertEquals(List.of(), started(tick));
        assertEquals(List.of("missing-source: due at 2026-11-22T07:00:00Z but could not start: its source "
                + "reference/missing-source.csv does not exist; upload it (tributary upload FILE "
                + "reference/missing-source.csv) or fix source.blob"),
                tick.notes());
        blobs.put("reference", "missing-source.csv", "a\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(runIds("missing-source", "2026-11-22T07:00:00Z"),
                started(stage.tick(Instant.parse("2026-11-22T07:01:20Z"))));
        assertEquals(List.of(), blobs.list(RunLayout.STATE, "schedules/").stream()
                .filter(n -> !othersMarks.contains(n) && !n.equals("schedules/missing-source.json")).toList(),
                "the marks of the other tests' pipelines aside");
    }
}
