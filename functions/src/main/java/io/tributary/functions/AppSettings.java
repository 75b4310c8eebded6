package io.tributary.functions;

import io.tributary.alert.WebhookSender;
import io.tributary.azureml.AzureMlTarget;
import io.tributary.databricks.DatabricksTarget;
import io.tributary.synapse.SynapseTarget;
import io.tributary.definition.DefinitionAccess;
import io.tributary.definition.trigger.Ncrontab;
import io.tributary.engine.EngineLimits;
import io.tributary.settings.HostJson;
import io.tributary.port.AlertSender;
import io.tributary.stage.ConcurrencyGate;
import io.tributary.history.HistoryRetention;
import io.tributary.storage.StorageAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The app settings the app is built from, read once, at start, into types: every bad value is reported at once, each
 * with its setting's name and what to set, rather than one at a time as invocations meet them.
 *
 * @param limits          the engine's memory, threads and disk limits ({@code TRIBUTARY_ENGINE_MEMORY},
 *                        {@code TRIBUTARY_ENGINE_THREADS}, {@code TRIBUTARY_MAX_DECOMPRESSED_BYTES},
 *                        {@code TRIBUTARY_MAX_DECODED_BYTES}, {@code TRIBUTARY_MAX_SPILL_BYTES})
 * @param engineSlots     how many invocations run the engine at once ({@code TRIBUTARY_ENGINE_SLOTS}, one per core)
 * @param workDir         where invocations keep their work dirs ({@code TRIBUTARY_WORK_DIR}, the temp dir)
 * @param holdRecheck     how long a held run waits before it checks again ({@code TRIBUTARY_HOLD_RECHECK_SECONDS}, 10)
 * @param staleRun        how long a run may show no sign of life ({@code TRIBUTARY_STALE_RUN_HOURS}, 24)
 * @param maxDequeueCount the attempts the host makes per queue message (its setting, else host.json's, else 5)
 * @param pipelineDefs    where the definitions are ({@code TRIBUTARY_PIPELINE_DEFS})
 * @param storage         the storage account ({@code AzureWebJobsStorage}, or its identity-based settings)
 * @param scheduleTick    how often the {@code schedule} function ticks: the gap between two occurrences of
 *                        {@code TRIBUTARY_SCHEDULE_TICK}; a minute when it is unset (the Functions host in Azure
 *                        needs it set, for the binding)
 * @param alerts          where alerts go ({@code TRIBUTARY_ALERT_WEBHOOK_URL}, {@code TRIBUTARY_ALERT_ATTEMPTS});
 *                        {@link AlertSender#NONE} without a webhook
 * @param historyDays     how many days of run history are kept ({@code TRIBUTARY_HISTORY_RETENTION_DAYS}, 90)
 * @param access          what definitions may reach ({@code TRIBUTARY_DEFINITION_SETTINGS},
 *                        {@code TRIBUTARY_READABLE_CONTAINERS})
 * @param azureMl         the Azure Machine Learning workspace commits are registered in as data asset versions
 *                        ({@code TRIBUTARY_AZUREML_WORKSPACE_ID}, {@code TRIBUTARY_AZUREML_ENDPOINT}); empty without one
 * @param databricks      the Azure Databricks workspace job stages run on ({@code TRIBUTARY_DATABRICKS_URL}); empty
 *                        without one
 * @param synapse         the Synapse workspace whose Spark pools job stages run on ({@code TRIBUTARY_SYNAPSE_ENDPOINT});
 *                        empty without one
 * @param jobPolling      how often a running job is checked ({@code TRIBUTARY_JOB_POLL_SECONDS}, the first wait, 10;
 *                        doubling to {@code TRIBUTARY_JOB_POLL_MAX_SECONDS}, 300)
 */
public record AppSettings(EngineLimits limits, int engineSlots, Path workDir, Duration holdRecheck, Duration staleRun,
                          int maxDequeueCount, Path pipelineDefs, StorageAccount storage, Duration scheduleTick,
                          AlertSender alerts, int historyDays, DefinitionAccess access,
                          Optional<AzureMlTarget> azureMl, Optional<DatabricksTarget> databricks,
                          Optional<SynapseTarget> synapse, io.tributary.stage.JobPolling jobPolling) {

    /** The settings as {@code settings} has them. */
    public static AppSettings read(Function<String, Optional<String>> settings) {
        Reader r = new Reader(settings);
        int threads = (int) r.whole("TRIBUTARY_ENGINE_THREADS", 1, 1, "such as 1");
        long decompressed = r.whole("TRIBUTARY_MAX_DECOMPRESSED_BYTES", EngineLimits.MAX_DECOMPRESSED_BYTES, 1,
                "a number of bytes, such as " + EngineLimits.MAX_DECOMPRESSED_BYTES);
        long decoded = r.whole("TRIBUTARY_MAX_DECODED_BYTES", EngineLimits.MAX_DECODED_BYTES, 1,
                "a number of bytes, such as " + EngineLimits.MAX_DECODED_BYTES);
        long spill = r.whole("TRIBUTARY_MAX_SPILL_BYTES", EngineLimits.MAX_SPILL_BYTES, 1,
                "a number of bytes, such as " + EngineLimits.MAX_SPILL_BYTES);
        String memory = settings.apply("TRIBUTARY_ENGINE_MEMORY").orElse("512MB");
        EngineLimits limits = null;
        try {
            limits = new EngineLimits(memory, threads, decompressed, decoded, spill);
        } catch (IllegalArgumentException e) {
            r.problems.add("the app setting TRIBUTARY_ENGINE_MEMORY must be an amount of memory such as 512MB, not '"
                    + memory + "': " + e.getMessage());
        }
        int slots = (int) r.whole("TRIBUTARY_ENGINE_SLOTS", Runtime.getRuntime().availableProcessors(), 1,
                "such as 2 (one per core)");
        Path work = Path.of(settings.apply("TRIBUTARY_WORK_DIR")
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "tributary-work").toString()));
        Duration recheck = Duration.ofSeconds(r.whole("TRIBUTARY_HOLD_RECHECK_SECONDS", 10, 0,
                "a number of seconds, such as 10"));
        Duration stale = Duration.ofHours(r.whole("TRIBUTARY_STALE_RUN_HOURS", ConcurrencyGate.DEFAULT_STALE.toHours(),
                1, "a number of hours, such as 24"));
        int dequeue = (int) r.whole(FunctionApp.MAX_DEQUEUE_COUNT, hostJsonDequeueCount(settings), 1, "such as 5");
        StorageAccount storage = r.checked(() -> StorageAccount.from(AppResources.STORAGE_CONNECTION, settings), null);
        Duration tick = r.checked(() -> tickPeriod(settings), Duration.ofMinutes(1));
        AlertSender alerts = r.checked(() -> WebhookSender.fromSettings(settings), AlertSender.NONE);
        int historyDays = r.checked(() -> HistoryRetention.days(settings), HistoryRetention.DEFAULT_DAYS);
        Optional<AzureMlTarget> azureMl = r.checked(() -> AzureMlTarget.fromSettings(settings), Optional.empty());
        Optional<DatabricksTarget> databricks = r.checked(() -> DatabricksTarget.fromSettings(settings),
                Optional.empty());
        Optional<SynapseTarget> synapse = r.checked(() -> SynapseTarget.fromSettings(settings), Optional.empty());
        long pollFirst = r.whole("TRIBUTARY_JOB_POLL_SECONDS", 10, 1, "a number of seconds, such as 10");
        long pollMax = r.whole("TRIBUTARY_JOB_POLL_MAX_SECONDS", Math.max(300, pollFirst), pollFirst,
                "a number of seconds, at least TRIBUTARY_JOB_POLL_SECONDS, such as 300");
        if (!r.problems.isEmpty()) {
            throw new IllegalStateException(r.problems.size() == 1 ? r.problems.get(0) : r.problems.size()
                    + " app settings are not valid: " + String.join("; ", r.problems));
        }
        return new AppSettings(limits, slots, work, recheck, stale, dequeue, pipelineDefs(settings), storage, tick,
                alerts, historyDays, DefinitionAccess.from(settings), azureMl, databricks, synapse, new io.tributary.stage.JobPolling(
                Duration.ofSeconds(pollFirst), Duration.ofSeconds(pollMax), io.tributary.stage.JobPolling.DEFAULT
                .unavailableChecks()));
    }

    /**
     * The gap between the next two occurrences of {@value AppResources#SCHEDULE_TICK}, else a minute when it is unset.
     *
     * @throws IllegalStateException naming the setting, when it is not an NCRONTAB schedule
     */
    private static Duration tickPeriod(Function<String, Optional<String>> settings) {
        Optional<String> text = settings.apply(AppResources.SCHEDULE_TICK);
        if (text.isEmpty()) {
            return Duration.ofMinutes(1);
        }
        try {
            Ncrontab tick = Ncrontab.parse(text.get());
            Instant first = tick.next(Instant.now(), ZoneOffset.UTC).orElseThrow();
            return Duration.between(first, tick.next(first, ZoneOffset.UTC).orElseThrow());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the app setting " + AppResources.SCHEDULE_TICK + " must be an NCRONTAB "
                    + "schedule with seconds, such as 0 * * * * * (every minute); it is '" + text.get() + "': "
                    + e.getMessage(), e);
        }
    }

    /** host.json's {@code queues.maxDequeueCount} beside the app, else the host's default. */
    private static int hostJsonDequeueCount(Function<String, Optional<String>> settings) {
        Path hostJson = settings.apply("AzureWebJobsScriptRoot").map(Path::of).orElse(Path.of(".")).resolve("host.json");
        return Files.exists(hostJson) ? HostJson.read(hostJson).maxDequeueCount() : HostJson.DEFAULTS.maxDequeueCount();
    }

    /** Where the definitions are: the setting, else {@code pipeline-defs} here, else beside the deployed app. */
    static Path pipelineDefs(Function<String, Optional<String>> settings) {
        return settings.apply("TRIBUTARY_PIPELINE_DEFS").map(Path::of).orElseGet(() -> {
            Path local = Path.of("pipeline-defs");
            if (Files.isDirectory(local)) {
                return local;
            }
            return settings.apply("AzureWebJobsScriptRoot").map(root -> Path.of(root, "pipeline-defs")).orElse(local);
        });
    }

    /** Reads settings, keeping a problem for each that is set to something it cannot be. */
    private static final class Reader {
        private final Function<String, Optional<String>> settings;
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, Optional<String>> settings) {
            this.settings = settings;
        }

        /** The whole number {@code name} holds, at least {@code min}; {@code fallback} when unset or bad. */
        long whole(String name, long fallback, long min, String example) {
            Optional<String> text = settings.apply(name);
            if (text.isEmpty()) {
                return fallback;
            }
            try {
                long value = Long.parseLong(text.get().strip());
                if (value >= min) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            problems.add("the app setting " + name + " must be a whole number, at least " + min + ", " + example
                    + "; it is '" + text.get() + "'");
            return fallback;
        }

        /** What {@code read} reads; {@code fallback} when it refuses a setting, whose problem (it names it) is kept. */
        <T> T checked(Supplier<T> read, T fallback) {
            try {
                return read.get();
            } catch (IllegalStateException e) {
                problems.add(e.getMessage());
                return fallback;
            }
        }
    }
}
