package io.tributary.functions;

import io.tributary.run.RunId;
import io.tributary.alert.WebhookSender;
import io.tributary.definition.DefinitionAccess;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.WatchedCatalog;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.SchemaProbe;
import io.tributary.engine.SqlCheck;
import io.tributary.settings.Settings;
import io.tributary.stage.Alerts;
import io.tributary.stage.BlobStore;
import io.tributary.stage.CombineStage;
import io.tributary.stage.ConcurrencyGate;
import io.tributary.stage.ExtractStage;
import io.tributary.stage.GatedExtract;
import io.tributary.stage.FileDropStage;
import io.tributary.stage.HistoryBackfill;
import io.tributary.stage.HistoryRetention;
import io.tributary.stage.PoisonWatch;
import io.tributary.stage.Reruns;
import io.tributary.stage.RunQueries;
import io.tributary.stage.RunsApi;
import io.tributary.lineage.LineageBuilder;
import io.tributary.stage.DatasetTriggers;
import io.tributary.stage.StoredLineage;
import io.tributary.stage.RunStarter;
import io.tributary.stage.ManualRuns;
import io.tributary.stage.RunRequests;
import io.tributary.stage.RunStore;
import io.tributary.stage.SourceFetch;
import io.tributary.stage.ScheduleMarks;
import io.tributary.stage.ScheduleStage;
import io.tributary.stage.WindowStarter;
import io.tributary.stage.StageQueue;
import io.tributary.stage.StoreStage;
import io.tributary.stage.TransformStage;
import io.tributary.stage.WorkRoot;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.AzurePoisonQueues;
import io.tributary.storage.AzureStageQueue;
import io.tributary.storage.StorageAccount;
import io.tributary.storage.StorageClients;
import io.tributary.storage.TableRunIndex;
import java.nio.file.Path;
import io.tributary.definition.Ncrontab;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The stages of the function app, wired once per process from app settings. The Functions worker
 * creates a new function-class instance per invocation; everything costly lives here instead.
 *
 * <p>Settings read: those of {@link AppSettings}, read once as the app is built (every bad one reported at once),
 * and {@code AzureWebJobsStorage} (or its identity-based forms),
 * {@code TRIBUTARY_PIPELINE_DEFS} (default {@code pipeline-defs} in the working directory, else under
 * {@code AzureWebJobsScriptRoot}), {@code TRIBUTARY_ENGINE_MEMORY} (default 512MB, shared by the invocations running the engine at once),
 * {@code TRIBUTARY_ENGINE_THREADS} (default 1), {@code TRIBUTARY_ENGINE_SLOTS} (default: one per core), {@code TRIBUTARY_WORK_DIR} (default: the temp dir),
 * {@code TRIBUTARY_MAX_DECOMPRESSED_BYTES}, {@code TRIBUTARY_MAX_DECODED_BYTES}, {@code TRIBUTARY_MAX_SPILL_BYTES}
 * (see {@link EngineLimits}),
 * {@code TRIBUTARY_SCHEDULE_TICK} (how often schedules are evaluated), {@code TRIBUTARY_HOLD_RECHECK_SECONDS}
 * (default 10), {@code TRIBUTARY_STALE_RUN_HOURS} (default 24), {@code TRIBUTARY_ALERT_WEBHOOK_URL} (alerts are off
 * without it), {@code TRIBUTARY_ALERT_ATTEMPTS} (default 4), {@code TRIBUTARY_HISTORY_RETENTION_DAYS} (default 90),
 * {@code TRIBUTARY_DEFINITION_SETTINGS} and {@code TRIBUTARY_READABLE_CONTAINERS} (what definitions may reach, see
 * {@link DefinitionAccess}) and
 * {@code TRIBUTARY_POISON_WATCH_SCHEDULE} (default every five minutes; read by the host, see {@link Settings}).
 */
public final class FunctionApp {

    /** The app setting that overrides host.json's queues.maxDequeueCount, as the Functions host reads it. */
    public static final String MAX_DEQUEUE_COUNT = "AzureFunctionsJobHost__extensions__queues__maxDequeueCount";

    private static FunctionApp current;

    private final StorageClients clients;
    private final WatchedCatalog catalog;
    private final FileDropStage fileDrop;
    private final ScheduleStage schedule;
    private final GatedExtract extract;
    private final TransformStage transform;
    private final CombineStage combine;
    private final StoreStage store;
    private final RunRequests runRequests;
    private final RunStore runs;
    private final RunsApi runsApi;
    private final HistoryRetention historyRetention;
    private final PoisonWatch poisonWatch;
    private final int maxDequeueCount;

    private FunctionApp(StorageClients clients, WatchedCatalog catalog, AppSettings settings, Path workRoot) {
        this.clients = clients;
        this.maxDequeueCount = settings.maxDequeueCount();
        EngineLimits limits = settings.limits();
        this.catalog = catalog;
        Clock clock = Clock.systemUTC();
        BlobStore blobs = new AzureBlobStore(clients.blobs());
        StageQueue queue = new AzureStageQueue(clients);
        Alerts alerts = new Alerts(blobs, alertSender(), clock);
        RunStore runs = new RunStore(blobs, alerts, new TableRunIndex(clients));
        this.runs = runs;
        RunStarter starter = new RunStarter(runs, queue, clock);
        this.fileDrop = new FileDropStage(catalog, starter, blobs);
        this.schedule = new ScheduleStage(catalog, new WindowStarter(starter, blobs), new ScheduleMarks(blobs),
                Settings::get, tickPeriod());
        this.extract = new GatedExtract(new ExtractStage(runs, queue, new SchemaProbe(limits),
                SourceFetch.standard(runs, Settings::get, workRoot), workRoot, clock,
                DefinitionAccess.from(Settings::get)),
                new ConcurrencyGate(runs, clock, settings.staleRun()), runs, queue, settings.holdRecheck());
        // One engine for the process: its memory is shared by the invocations running it at once.
        ChunkTransformer engine = new ChunkTransformer(limits, settings.engineSlots());
        this.transform = new TransformStage(runs, queue, engine, workRoot, clock);
        this.combine = new CombineStage(runs, queue, engine, workRoot, clock);
        this.store = new StoreStage(runs, clock,
                name -> catalog.get().listeningTo(name).stream().map(PipelineDefinition::name).toList(),
                new DatasetTriggers(catalog, starter, blobs));
        this.runRequests = new RunRequests(catalog, new ManualRuns(starter, blobs, clock));
        this.runsApi = new RunsApi(catalog::get, new RunQueries(runs), new Reruns(runs, queue, clock), Settings::get,
                clock);
        this.historyRetention = new HistoryRetention(runs.index(), clock, HistoryRetention.days(Settings::get));
        this.poisonWatch = new PoisonWatch(new AzurePoisonQueues(clients), blobs, alerts,
                name -> catalog.get().listeningTo(name).stream().map(PipelineDefinition::name).toList(),
                maxDequeueCount, clock);
    }

    /**
     * Where alerts go: the webhook in the app settings, else nowhere. A malformed setting turns alerts off with a
     * log line rather than stopping the app: alerts never stand in the way of runs.
     */
    private static io.tributary.stage.AlertSender alertSender() {
        try {
            return WebhookSender.fromSettings(Settings::get);
        } catch (IllegalStateException e) {
            java.util.logging.Logger.getLogger(FunctionApp.class.getName()).severe(e.getMessage()
                    + "; alerts are off until it is fixed");
            return io.tributary.stage.AlertSender.NONE;
        }
    }

    /** The process's app, built from settings on first use. */
    public static synchronized FunctionApp get() {
        if (current == null) {
            AppSettings settings = AppSettings.read(Settings::get);
            StorageClients clients = new StorageClients(StorageAccount.from("AzureWebJobsStorage", Settings::get),
                    StorageClients.RetryPolicy.SERVICE);
            boolean newHistory = clients.provision();
            Path work = WorkRoot.claim(settings.workDir(), Instant.now(),
                    swept -> java.util.logging.Logger.getLogger(FunctionApp.class.getName()).info("swept "
                            + swept.folders().size() + " work dir(s) of processes that are gone, " + swept.bytes()
                            + " bytes: " + swept.folders()));
            current = new FunctionApp(clients, new WatchedCatalog(settings.pipelineDefs(), new SqlCheck()), settings,
                    work);
            if (newHistory) {
                backfillHistory(current.runs);
            }
        }
        return current;
    }

    /** Writes the history of the runs made before the history's tables existed; a failure only costs their rows. */
    static void backfillHistory(RunStore runs) {
        try {
            new HistoryBackfill(runs).fill();
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(FunctionApp.class.getName()).warning("the run history of earlier runs "
                    + "could not be written: " + e);
        }
    }

    /** Forgets the app, so the next {@link #get()} reads settings and definitions afresh. */
    public static synchronized void reset() {
        current = null;
    }

    /**
     * How often the {@code schedule} function ticks: the gap between the next two occurrences of
     * {@code TRIBUTARY_SCHEDULE_TICK}, else a minute.
     */
    static Duration tickPeriod() {
        try {
            Ncrontab tick = Ncrontab.parse(Settings.require("TRIBUTARY_SCHEDULE_TICK"));
            Instant first = tick.next(Instant.now(), ZoneOffset.UTC).orElseThrow();
            return Duration.between(first, tick.next(first, ZoneOffset.UTC).orElseThrow());
        } catch (RuntimeException e) {
            return Duration.ofMinutes(1);
        }
    }

    /** The attempts the host makes per queue message: the setting, else host.json's, else the default 5. */
    static int maxDequeueCount() {
        return AppSettings.read(Settings::get).maxDequeueCount();
    }

    /** Whether a message delivered {@code dequeueCount} times will not be delivered again should it fail. */
    boolean isLastAttempt(long dequeueCount) {
        return dequeueCount >= maxDequeueCount;
    }

    /**
     * After a stage's attempt failed with {@code error}: logs it on {@code log}, tagged with the bound run; on the last
     * attempt also fails the run, naming the stage and chunk, unless the
     * stage already recorded an outcome, and raises the run's poisoned-message alert (its message goes to
     * {@code pipeline-STAGE-poison}). The stages record their own failures; this catches a failure before the
     * stage could (its definition snapshot did not read, storage failed before its report, its hand-off failed).
     * A message that does not parse names no run and only goes to the poison queue.
     */
    void attemptFailed(java.util.logging.Logger log, long dequeueCount, boolean lastAttempt, String pipeline,
                       RunId runId, String stage, int chunk, RuntimeException error) {
        log.warning(io.tributary.run.LogContext.tag(stage + " attempt " + dequeueCount + " of " + maxDequeueCount
                + " failed" + (lastAttempt ? ", the last: the run fails and the message goes to " + io.tributary.run.RunLayout.poisonQueue(queueOf(stage)) : "; the host retries it") + ": "
                + runs.secrets(runId).mask(String.valueOf(error))));
        if (!lastAttempt) {
            return;
        }
        try {
            runs.failUnended(runId, stage, chunk, error, Instant.now());
        } catch (RuntimeException e) {
            error.addSuppressed(e);
        }
        runs.alerts().poisoned(pipeline, runId, stage, chunk, queueOf(stage), error);
    }

    /** The queue whose messages trigger {@code stage}. */
    private static String queueOf(String stage) {
        return switch (stage) {
            case "extract" -> io.tributary.run.RunLayout.EXTRACT_QUEUE;
            case "transform" -> io.tributary.run.RunLayout.TRANSFORM_QUEUE;
            case "combine" -> io.tributary.run.RunLayout.COMBINE_QUEUE;
            default -> io.tributary.run.RunLayout.STORE_QUEUE;
        };
    }

    /** Where the pipeline definitions are read from. */
    public static Path pipelineDefs() {
        return AppSettings.pipelineDefs(Settings::get);
    }

    public StorageClients clients() {
        return clients;
    }

    /** The current definitions. */
    public PipelineCatalog catalog() {
        return catalog.get();
    }

    FileDropStage fileDrop() {
        return fileDrop;
    }

    /** The lineage of runs, from storage and the current definitions. */
    LineageBuilder lineage() {
        return new LineageBuilder(new StoredLineage(new RunStore(new AzureBlobStore(clients.blobs())), catalog));
    }

    ScheduleStage schedule() {
        return schedule;
    }

    RunRequests runRequests() {
        return runRequests;
    }

    RunsApi runsApi() {
        return runsApi;
    }

    HistoryRetention historyRetention() {
        return historyRetention;
    }

    PoisonWatch poisonWatch() {
        return poisonWatch;
    }

    GatedExtract extract() {
        return extract;
    }

    TransformStage transform() {
        return transform;
    }

    CombineStage combine() {
        return combine;
    }

    StoreStage store() {
        return store;
    }
}
