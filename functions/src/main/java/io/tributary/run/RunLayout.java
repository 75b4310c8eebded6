package io.tributary.run;

import io.tributary.definition.output.SplitName;
/**
 * Where everything lives in storage: the one place that names containers and blobs.
 *
 * <pre>
 * landing/…                                        file drops (blob trigger)
 * tributary-runs/{runId}/run.json                  what started the run (create-only)
 * tributary-runs/{runId}/definition.json           the definition snapshot the run uses
 * tributary-runs/{runId}/schema.json               the columns it reads, if sampled from its input (create-only)
 * tributary-runs/{runId}/plan.json                 the chunks extract planned: their transform messages (create-only)
 * tributary-runs/{runId}/reruns/{claim}.json       a rerun of the run, one per failed outcome (create-only)
 * tributary-runs/{runId}/stages/{stage}.json       stage reports
 * tributary-runs/{runId}/chunks/{n}.json           transformed chunks (create-only)
 * tributary-runs/{runId}/routed/{b}/{n}-{attempt}.parquet  rows chunk n routed to key bucket b (deleted at commit)
 * tributary-runs/{runId}/combine.claim             fan-in claim of the chunks, when rows are routed (create-only)
 * tributary-runs/{runId}/buckets/{b}.json          combined key buckets (create-only)
 * tributary-runs/{runId}/store.claim               fan-in claim of the chunks or buckets (create-only)
 * tributary-runs/{runId}/handoffs/{stage}          the next stage's message was sent
 * tributary-runs/{runId}/outcome.json              committed or failed (create-only)
 * tributary-runs/{runId}/after-commit.json         what became of the dropped file after the commit
 * tributary-runs/{runId}/azureml.json              what became of the table version's data asset registration
 * archive/…                                        dropped files moved out of landing after their run committed
 * training/{pipeline}/{runId}/{split}/[{column}={value}/…]part-NNNNN[-K].parquet   (or .csv, .jsonl;
 *                                                  split "data" without a split; K counts rolled files)
 * training/{pipeline}/{runId}/{split}/MLTable               for Azure Machine Learning
 * training/{pipeline}/{runId}/_rejects/part-NNNNN.jsonl    (bucket-NNNNN.jsonl: rows a key bucket dropped)
 * training/{pipeline}/{runId}/_manifest.json       the commit, written last
 * training/{pipeline}/latest.json                  newest committed run
 * training/{pipeline}/table/_delta_log/…           the pipeline's Delta table (output.table): one version per run
 * training/{pipeline}/table/[split={split}/][{column}={value}/…]part-{runId}-NNNNN[-K].parquet   its data files
 * tributary-state/schedules/{pipeline}.json        the newest schedule occurrence a tick dealt with (ETag-guarded)
 * tributary-state/active/{pipeline}/{runId}        a started run that has no outcome yet (concurrency limit)
 * tributary-state/admitted/{pipeline}/{runId}      such a run that got past the limit and is running
 * tributary-state/alerts/poison/{queue}/{messageId}.json   the poisonWatch alert of a poisoned message (create-only)
 *
 * queues pipeline-{stage}, and pipeline-{stage}-poison where the host moves a message after its last attempt;
 *        webjobs-blobtrigger-poison, where the host reports a blob whose trigger kept failing
 *
 * table TributaryRuns       run history, a projection of the blobs above: one row per run in partition {pipeline} and
 *                           one in partition {@value #ALL_RUNS}, RowKey {@link #historyKey} (newest first)
 * table TributaryRunStages  one row per stage, chunk and key bucket of a run: PartitionKey {runId}, RowKey {stage}-{n}
 * </pre>
 */
public final class RunLayout {

    public static final String LANDING = "landing";
    public static final String RUNS = "tributary-runs";
    public static final String TRAINING = "training";
    public static final String ARCHIVE = "archive";
    /** State that outlives runs: schedule marks, the active runs of each pipeline. */
    public static final String STATE = "tributary-state";
    public static final String MANIFEST = "_manifest.json";
    /** The folder, in a pipeline's, of its Delta table. */
    public static final String TABLE = "table";
    /** The partition column of a table that holds each row's split. */
    public static final String SPLIT_PARTITION = "split";

    public static final String EXTRACT_QUEUE = "pipeline-extract";
    public static final String TRANSFORM_QUEUE = "pipeline-transform";
    public static final String COMBINE_QUEUE = "pipeline-combine";
    public static final String STORE_QUEUE = "pipeline-store";
    /** The job stage's: submitting a run step's job to its compute, and checking on it again later (delayed). */
    public static final String JOB_QUEUE = "pipeline-job";
    /** The stages' queues, in the order a run passes them. */
    public static final java.util.List<String> STAGE_QUEUES =
            java.util.List.of(EXTRACT_QUEUE, JOB_QUEUE, TRANSFORM_QUEUE, COMBINE_QUEUE, STORE_QUEUE);
    /** Where the Functions host reports a blob whose blob trigger failed its last attempt (a file drop). */
    public static final String BLOB_TRIGGER_POISON_QUEUE = "webjobs-blobtrigger-poison";

    /** The run history table: a projection of the run blobs, queried by pipeline, status and time. */
    public static final String RUNS_TABLE = "TributaryRuns";
    /** The stage history table: a row per stage, chunk and key bucket of each run. */
    public static final String STAGES_TABLE = "TributaryRunStages";
    /** The partition of {@link #RUNS_TABLE} that holds every pipeline's runs (pipeline names have no {@code ~}). */
    public static final String ALL_RUNS = "~all";

    private RunLayout() {
    }

    public static String runRecord(RunId runId) {
        return runId + "/run.json";
    }

    /** What became of the registration of the run's table version as Azure Machine Learning data assets. */
    public static String registration(RunId runId) {
        return runId + "/azureml.json";
    }

    /** What became of the dropped file once the run committed (trigger.afterCommit). */
    public static String afterCommit(RunId runId) {
        return runId + "/after-commit.json";
    }

    /** The record of one attempt of one job step of the run: its handle, and what its compute last said. */
    public static String jobRecord(RunId runId, String step, int attempt) {
        return jobsPrefix(runId) + step + "-" + attempt + ".json";
    }

    /** The folder of the run's job records and the transform job's output. */
    public static String jobsPrefix(RunId runId) {
        return runId + "/jobs/";
    }

    /** The folder, in {@link #RUNS}, the transform job's attempt writes its output files to. */
    public static String jobOutput(RunId runId, int attempt) {
        return jobsPrefix(runId) + "transform-" + attempt + "/output/";
    }

    /** Whether {@code blob} is a file a transform job wrote: the transform reads it in the job's output format. */
    public static boolean isJobOutput(BlobRef blob) {
        return blob.container().equals(RUNS) && blob.name().matches("[^/]+/jobs/transform-\\d+/output/.+");
    }

    /** Asks a run to stop: every stage that meets the run after it was written fails the run, cancelled. */
    public static String cancelRequest(RunId runId) {
        return runId + "/cancel.json";
    }

    public static String definition(RunId runId) {
        return runId + "/definition.json";
    }

    public static String stageReport(RunId runId, Stage stage, int chunk) {
        return runId + "/stages/" + (chunk < 0 ? stage.text() : stage.text() + "-" + part(chunk)) + ".json";
    }

    public static String stagesPrefix(RunId runId) {
        return runId + "/stages/";
    }

    /** The columns the run reads, when it had to sample its input to know them (create-only). */
    public static String sourceSchema(RunId runId) {
        return runId + "/schema.json";
    }

    /** What extract fetched, for a run whose source is an API or a database (create-only). */
    public static String fetchRecord(RunId runId) {
        return runId + "/fetch.json";
    }

    /**
     * The JSON Lines that one extract attempt fetched, for a run whose source is an API or a database; the
     * {@code fetch.json} record names the attempt whose records the run reads.
     */
    public static String spool(RunId runId, String attempt) {
        return runId + "/source/" + attempt + ".jsonl";
    }

    /**
     * A run's source decoded (un-gzipped, transcoded to UTF-8, a JSON document's records as JSON Lines), in
     * {@link #RUNS}: what extract cuts into chunks when the source as dropped cannot be cut.
     */
    public static String decoded(RunId runId, String extension) {
        return runId + "/source/decoded." + extension;
    }

    /** Part {@code index} of a run's Parquet source cut into parts, in {@link #RUNS}. */
    public static String sourcePart(RunId runId, int index) {
        return runId + "/source/part-" + String.format("%05d", index) + ".parquet";
    }

    /**
     * Whether {@code blob} is a run's source as extract prepared it to be cut: decoded ({@link #decoded}), or one of
     * the parts of a Parquet source ({@link #sourcePart}).
     */
    public static boolean isDecoded(BlobRef blob) {
        return blob.container().equals(RUNS)
                && blob.name().matches("[^/]+/source/(decoded\\.[a-z]+|part-\\d+\\.parquet)");
    }

    /**
     * The run a request by hand started (its id as text), in {@link #STATE}: asking again with the same request id
     * finds it. The request id is hashed, so any text names a request.
     */
    public static String request(String pipeline, String requestId) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(requestId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "requests/" + pipeline + "/" + java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A pipeline's high-water mark (see {@link Watermark}), in {@link #STATE}. */
    public static String watermark(String pipeline) {
        return "watermarks/" + pipeline + ".json";
    }

    /** The chunks extract planned for the run: one transform message each (create-only, see {@link RunPlan}). */
    public static String plan(RunId runId) {
        return runId + "/plan.json";
    }

    /**
     * The rerun that a failed outcome of the run led to, named after that outcome's version ({@code claim}): one
     * rerun per failure (create-only, see {@link Rerun}).
     */
    public static String rerun(RunId runId, String claim) {
        return rerunsPrefix(runId) + claim + ".json";
    }

    public static String rerunsPrefix(RunId runId) {
        return runId + "/reruns/";
    }

    public static String chunkResult(RunId runId, int chunk) {
        return runId + "/chunks/" + part(chunk) + ".json";
    }

    public static String chunksPrefix(RunId runId) {
        return runId + "/chunks/";
    }

    /**
     * The rows chunk {@code chunk} routed to key bucket {@code bucket} (see {@link CombineMessage}), as attempt
     * {@code attempt} wrote them: a duplicate delivery of the chunk writes blobs of its own, never over those the
     * chunk's record names.
     */
    public static String routedPart(RunId runId, int bucket, int chunk, String attempt) {
        return routedPrefix(runId) + part(bucket) + "/" + part(chunk) + "-" + attempt + ".parquet";
    }

    /** Where the run's routed rows are; deleted once the run commits. */
    public static String routedPrefix(RunId runId) {
        return runId + "/routed/";
    }

    /** A combined key bucket, recorded once its parts and rejects are durable (create-only). */
    public static String bucketResult(RunId runId, int bucket) {
        return bucketsPrefix(runId) + part(bucket) + ".json";
    }

    public static String bucketsPrefix(RunId runId) {
        return runId + "/buckets/";
    }

    /** Won by the chunk that completes the routed chunks: it hands the key buckets to combine. */
    public static String combineClaim(RunId runId) {
        return runId + "/combine.claim";
    }

    public static String storeClaim(RunId runId) {
        return runId + "/store.claim";
    }

    public static String handoff(RunId runId, Stage stage) {
        return runId + "/handoffs/" + stage.text();
    }

    /** The claim of a run's alert of {@code kind}: one per run and kind; holds what became of it. */
    public static String alert(RunId runId, String kind) {
        return runId + "/alerts/" + kind + ".json";
    }

    /** The queue where the host moves {@code queue}'s messages after their last attempt. */
    public static String poisonQueue(String queue) {
        return queue + "-poison";
    }

    /** Every poison queue: the blob trigger's, then each stage's. */
    public static java.util.List<String> poisonQueues() {
        java.util.List<String> queues = new java.util.ArrayList<>();
        queues.add(BLOB_TRIGGER_POISON_QUEUE);
        STAGE_QUEUES.forEach(q -> queues.add(poisonQueue(q)));
        return java.util.List.copyOf(queues);
    }

    /** The claim, in {@link #STATE}, of the poison watch's alert of message {@code messageId} on {@code queue}. */
    public static String poisonAlert(String queue, String messageId) {
        return "alerts/poison/" + queue + "/" + messageId + ".json";
    }

    /** The prefix of a run's {@link Alert#POISON_MESSAGE} claims (one per rerun: {@code poisonMessage-1}, …). */
    public static String poisonMessageAlerts(RunId runId) {
        return runId + "/alerts/" + Alert.POISON_MESSAGE;
    }

    public static String outcome(RunId runId) {
        return runId + "/outcome.json";
    }

    public static String datasetFolder(String pipeline, RunId runId) {
        return pipeline + "/" + runId + "/";
    }

    /**
     * Part {@code index} (0 for a chunk's first) of chunk {@code chunk} of split {@code split}, in the partition
     * folders {@code partition} ({@code region=north/}, or empty).
     */
    public static String dataPart(String pipeline, RunId runId, SplitName split, String partition, int chunk, int index,
                                  String extension) {
        return datasetFolder(pipeline, runId) + split + "/" + partition + "part-" + part(chunk)
                + (index == 0 ? "" : "-" + index) + extension;
    }

    /** The folder of a pipeline's Delta table: its {@code _delta_log/} and its data files. */
    public static String table(String pipeline) {
        return pipeline + "/" + TABLE + "/";
    }

    /**
     * Part {@code index} of chunk {@code chunk} of a run that writes straight into its pipeline's table (append and
     * overwrite): in the split's partition folder ({@code split=train/}, none without a split), then the partition
     * folders {@code partition}; part of the table once a version's log names it.
     */
    public static String tablePart(String pipeline, RunId runId, SplitName split, String partition, int chunk,
                                   int index, String extension) {
        return tablePart(pipeline, runId, split, partition, part(chunk), index, extension);
    }

    /**
     * Part {@code index} of what a merge of the run wrote in one attempt ({@code piece}: {@code m} and the attempt's
     * token): a later attempt writes files of its own, and only the committed attempt's files are in the table.
     */
    public static String tablePart(String pipeline, RunId runId, SplitName split, String partition, String piece,
                                   int index, String extension) {
        return table(pipeline) + (split == null ? "" : SPLIT_PARTITION + "=" + split + "/") + partition + "part-"
                + runId + "-" + piece + (index == 0 ? "" : "-" + index) + extension;
    }

    public static String mlTable(String pipeline, RunId runId, SplitName split) {
        return datasetFolder(pipeline, runId) + split + "/MLTable";
    }

    public static String rejectsPart(String pipeline, RunId runId, int chunk) {
        return datasetFolder(pipeline, runId) + "_rejects/part-" + part(chunk) + ".jsonl";
    }

    /** The rows key bucket {@code bucket}'s expectations dropped. */
    public static String bucketRejectsPart(String pipeline, RunId runId, int bucket) {
        return datasetFolder(pipeline, runId) + "_rejects/bucket-" + part(bucket) + ".jsonl";
    }

    public static String manifest(String pipeline, RunId runId) {
        return datasetFolder(pipeline, runId) + MANIFEST;
    }

    public static String latest(String pipeline) {
        return pipeline + "/latest.json";
    }

    /** The newest occurrence of the pipeline's schedule that a tick dealt with. */
    public static String scheduleMark(String pipeline) {
        return "schedules/" + pipeline + ".json";
    }

    /** The marker of a run of {@code pipeline} that is started and has no outcome yet. */
    public static String activeRun(String pipeline, RunId runId) {
        return activePrefix(pipeline) + runId;
    }

    public static String activePrefix(String pipeline) {
        return "active/" + pipeline + "/";
    }

    /** The marker of an active run that the concurrency limit let through. */
    public static String admittedRun(String pipeline, RunId runId) {
        return admittedPrefix(pipeline) + runId;
    }

    public static String admittedPrefix(String pipeline) {
        return "admitted/" + pipeline + "/";
    }

    private static String part(int chunk) {
        return String.format("%05d", chunk);
    }

    /**
     * The history row key of a run: the run id with its time's digits complemented (9 - d), so that keys sort newest
     * first; {@code 20261122T073242Z-a3f6fba34e} has key {@code 79738877926757-a3f6fba34e}.
     */
    public static String historyKey(RunId runId) {
        String text = runId.text();
        return complement(text.substring(0, 8) + text.substring(9, 15)) + text.substring(16);
    }

    /**
     * The run id of a history row key ({@link #historyKey} undone).
     *
     * @throws IllegalArgumentException when {@code key} is not the history key of a run id
     */
    public static RunId runIdOfHistoryKey(String key) {
        String digits = complement(key.substring(0, 14));
        return RunId.parse(digits.substring(0, 8) + "T" + digits.substring(8) + "Z" + key.substring(14));
    }

    /** The history key prefix of a time, to the second: runs whose id names that second start with it. */
    public static String historyKey(java.time.Instant at) {
        return complement(java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(at));
    }

    /** The row key of a stage's row in {@link #STAGES_TABLE}: {@code extract}, {@code transform-000002}, … */
    public static String stageKey(Stage stage, int chunk) {
        return chunk < 0 ? stage.text() : String.format(java.util.Locale.ROOT, "%s-%06d", stage.text(), chunk);
    }

    private static String complement(String digits) {
        StringBuilder out = new StringBuilder(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            out.append((char) ('9' - (digits.charAt(i) - '0')));
        }
        return out.toString();
    }
}
