package io.tributary.functions;

import io.tributary.alert.WebhookSender;
import io.tributary.definition.DefinitionAccess;
import io.tributary.run.RunId;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.WatchedCatalog;
import io.tributary.definition.trigger.Ncrontab;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.SchemaProbe;
import io.tributary.engine.SqlCheck;
import io.tributary.lineage.LineageBuilder;
import io.tributary.port.BlobStore;
import io.tributary.settings.Settings;
import io.tributary.stage.Alerts;
import io.tributary.stage.CombineStage;
import io.tributary.stage.ConcurrencyGate;
import io.tributary.history.HistoryBackfill;
import io.tributary.history.HistoryRetention;
import io.tributary.history.RunQueries;
import io.tributary.history.RunsApi;
import io.tributary.history.CancelApi;
import io.tributary.history.StoredLineage;
import io.tributary.history.TableHistoryApi;
import io.tributary.port.StageQueue;
import io.tributary.stage.ExtractStage;
import io.tributary.stage.GatedExtract;
import io.tributary.stage.PoisonWatch;
import io.tributary.stage.RunSettings;
import io.tributary.stage.RunStore;
import io.tributary.stage.SourceFetch;
import io.tributary.start.DatasetTriggers;
import io.tributary.start.FileDropStage;
import io.tributary.start.ManualRuns;
import io.tributary.start.Reruns;
import io.tributary.start.RunRequests;
import io.tributary.start.RunStarter;
import io.tributary.start.ScheduleMarks;
import io.tributary.start.ScheduleStage;
import io.tributary.start.WindowStarter;
import io.tributary.stage.StoreStage;
import io.tributary.stage.JobStage;
import io.tributary.port.JobComputes;
import io.tributary.port.JobCompute;
import io.tributary.databricks.DatabricksJobs;
import io.tributary.synapse.SynapseSparkJobs;
import io.tributary.azureml.AzureMlJobs;
import io.tributary.stage.TransformStage;
import io.tributary.stage.WorkRoot;
import io.tributary.table.CatalogVacuum;
import io.tributary.table.RunTables;
import io.tributary.azureml.AzureMlDataAssets;
import io.tributary.port.DataAssets;
import io.tributary.storage.AzurePoisonQueues;
import io.tributary.storage.StorageClients;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The function app's object graph: the one place that builds the stages from the app settings, a storage
 * connection and a clock, and hands each function class its collaborators ({@link #function}). The Functions worker
 * creates a function-class instance per invocation (through {@link AppInjector}); everything costly is built here,
 * once per process.
 */
public final class FunctionApp {

    /** The app setting that overrides host.json's queues.maxDequeueCount, as the Functions host reads it. */
    public static final String MAX_DEQUEUE_COUNT = "AzureFunctionsJobHost__extensions__queues__maxDequeueCount";

    private static final Logger LOG = Logger.getLogger(FunctionApp.class.getName());

    private final AppSettings settings;
    private final AppStorage storage;
    private final WatchedCatalog catalog;
    private final Map<Class<?>, Supplier<?>> functions;

    /**
     * Wires the app. Builds no connection and touches no storage: {@link #start} does that.
     *
     * @param settings           the app settings, read once
     * @param definitionSettings the app settings by name, for the {@code %NAME%} references of definitions (which
     *                           {@link AppSettings#access()} lets them make), read when a run needs them
     * @param storage            the storage connection and what works over it
     * @param workRoot           this process's work dir, claimed ({@link WorkRoot})
     * @param clock              the time
     */
    public FunctionApp(AppSettings settings, Function<String, Optional<String>> definitionSettings, AppStorage storage,
                       Path workRoot, Clock clock) {
        this.settings = settings;
        this.storage = storage;
        this.catalog = new WatchedCatalog(settings.pipelineDefs(), new SqlCheck(), settings.access());
        var runs = storage.runs();
        var queue = storage.queue();
        var blobs = storage.blobs();
        Function<String, List<String>> consumers =
                name -> catalog.get().listeningTo(name).stream().map(PipelineDefinition::name).toList();
        StageInvocation invocation = new StageInvocation(runs, settings.maxDequeueCount(), clock);
        FileDropStage fileDrop = new FileDropStage(catalog, storage.starter(), blobs);
        ScheduleStage schedule = new ScheduleStage(catalog, new WindowStarter(storage.starter(), blobs),
                new ScheduleMarks(blobs), definitionSettings, settings.scheduleTick());
        RunTables tables = RunTables.standard(blobs, clock, workRoot.resolve("tables"), settings.limits());
        GatedExtract extract = new GatedExtract(new ExtractStage(runs, queue, new SchemaProbe(settings.limits()),
                SourceFetch.standard(runs, definitionSettings, workRoot), workRoot, clock, settings.access(), tables),
                new ConcurrencyGate(runs, clock, settings.staleRun()), runs, queue, settings.holdRecheck());
        // One engine for the process: its memory is shared by the invocations running it at once.
        ChunkTransformer engine = new ChunkTransformer(settings.limits(), settings.engineSlots());
        TransformStage transform = new TransformStage(runs, queue, engine, workRoot, clock);
        CombineStage combine = new CombineStage(runs, queue, engine, workRoot, clock);
        StoreStage store = new StoreStage(runs, clock, consumers,
                new DatasetTriggers(catalog, storage.starter(), blobs),
                tables, settings.azureMl().<DataAssets>map(target -> AzureMlDataAssets.create(target,
                        storage.clients().credential())).orElse(DataAssets.NONE), queue);
        JobStage jobs = new JobStage(runs, queue, computes(settings, storage.clients().credential()),
                storage.clients().address(), settings.jobPolling(), clock);
        RunRequests runRequests = new RunRequests(catalog, storage.manualRuns());
        CancelApi cancelApi = new CancelApi(new io.tributary.stage.RunCancels(runs, clock));
        RunsApi runsApi = new RunsApi(catalog::get, new RunQueries(runs), storage.reruns(), definitionSettings, clock);
        TableHistoryApi tableHistory = new TableHistoryApi(catalog::get, new RunQueries(runs), tables::log);
        CatalogVacuum vacuum = new CatalogVacuum(catalog::get, tables, runId -> runs.outcome(runId).isPresent(),
                clock);
        HistoryRetention retention = new HistoryRetention(runs.index(), clock, settings.historyDays());
        PoisonWatch poisonWatch = new PoisonWatch(new AzurePoisonQueues(storage.clients()), blobs, runs.alerts(),
                consumers, settings.maxDequeueCount(), clock);
        LineageBuilder lineage = new LineageBuilder(new StoredLineage(runs, catalog));
        this.functions = Map.ofEntries(
                Map.entry(FileDropFunction.class, () -> new FileDropFunction(fileDrop)),
                Map.entry(ScheduleFunction.class, () -> new ScheduleFunction(schedule, clock)),
                Map.entry(ExtractFunction.class, () -> new ExtractFunction(extract, invocation)),
                Map.entry(TransformFunction.class, () -> new TransformFunction(transform, invocation)),
                Map.entry(CombineFunction.class, () -> new CombineFunction(combine, invocation)),
                Map.entry(StoreFunction.class, () -> new StoreFunction(store, invocation)),
                Map.entry(JobFunction.class, () -> new JobFunction(jobs, invocation)),
                Map.entry(StartRunFunction.class, () -> new StartRunFunction(runRequests)),
                Map.entry(ListPipelinesFunction.class, () -> new ListPipelinesFunction(runsApi)),
                Map.entry(ListRunsFunction.class, () -> new ListRunsFunction(runsApi)),
                Map.entry(GetRunFunction.class, () -> new GetRunFunction(runsApi)),
                Map.entry(RerunFunction.class, () -> new RerunFunction(runsApi)),
                Map.entry(CancelRunFunction.class, () -> new CancelRunFunction(cancelApi)),
                Map.entry(LineageFunction.class, () -> new LineageFunction(runsApi, lineage)),
                Map.entry(DashboardFunction.class, DashboardFunction::new),
                Map.entry(TableHistoryFunction.class, () -> new TableHistoryFunction(tableHistory)),
                Map.entry(HistoryRetentionFunction.class, () -> new HistoryRetentionFunction(retention)),
                Map.entry(TableVacuumFunction.class, () -> new TableVacuumFunction(vacuum)),
                Map.entry(PoisonWatchFunction.class, () -> new PoisonWatchFunction(poisonWatch)));
    }

    /** The computes job stages run on: one for each workspace the app settings name. */
    private static JobComputes computes(AppSettings settings, com.azure.core.credential.TokenCredential credential) {
        Map<String, JobCompute> computes = new java.util.HashMap<>();
        settings.databricks().ifPresent(t -> computes.put("databricks", DatabricksJobs.create(t, credential)));
        settings.synapse().ifPresent(t -> computes.put("synapse", SynapseSparkJobs.create(t, credential)));
        settings.azureMl().ifPresent(t -> computes.put("azureml", AzureMlJobs.create(t, credential)));
        return new JobComputes(computes);
    }

    /**
     * The app of this process, as the Functions host runs it: reads the app settings from {@code settings} (every bad
     * one reported at once), connects to the storage account with the service's retry policy, makes sure of its
     * containers, queues and tables, claims the work dir (sweeping those of processes that are gone) and, when the
     * run history's tables are new, writes the history of earlier runs.
     *
     * @throws IllegalStateException naming every app setting that is bad or missing, and what to set
     */
    public static FunctionApp start(Function<String, Optional<String>> settings) {
        AppSettings app = AppSettings.read(settings);
        StorageClients clients = new StorageClients(app.storage(), StorageClients.RetryPolicy.SERVICE);
        boolean newHistory = clients.provision();
        Clock clock = Clock.systemUTC();
        Path work = WorkRoot.claim(app.workDir(), clock.instant(), swept -> LOG.info("swept "
                + swept.folders().size() + " work dir(s) of processes that are gone, " + swept.bytes()
                + " bytes: " + swept.folders()));
        AppStorage storage = new AppStorage(clients, app.alerts(), new RunSettings(app.access(), settings), clock);
        if (newHistory) {
            backfillHistory(storage);
        }
        return new FunctionApp(app, settings, storage, work, clock);
    }

    /** Writes the history of the runs made before the history's tables existed; a failure only costs their rows. */
    private static void backfillHistory(AppStorage storage) {
        try {
            storage.backfillHistory();
        } catch (RuntimeException e) {
            LOG.warning("the run history of earlier runs could not be written: " + e);
        }
    }

    /**
     * A new instance of the function class {@code type}, with its collaborators from this app.
     *
     * @throws IllegalArgumentException when {@code type} is not one of the app's function classes
     */
    public <T> T function(Class<T> type) {
        Supplier<?> function = functions.get(type);
        if (function == null) {
            throw new IllegalArgumentException("No function class named '" + type.getName() + "' in the app; "
                    + "available: " + functions.keySet().stream().map(Class::getSimpleName).sorted().toList());
        }
        return type.cast(function.get());
    }

    /** The function classes this app builds. */
    public List<Class<?>> functionClasses() {
        return List.copyOf(functions.keySet());
    }

    /** The app settings it was built from. */
    public AppSettings settings() {
        return settings;
    }

    public AppStorage storage() {
        return storage;
    }

    public StorageClients clients() {
        return storage.clients();
    }

    /** The current definitions. */
    public PipelineCatalog catalog() {
        return catalog.get();
    }
}
