package io.tributary.stage;

import io.tributary.definition.output.SplitName;
import io.tributary.run.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.SchemaProbe;
import io.tributary.functions.FunctionApp;
import io.tributary.history.RunHistory;
import io.tributary.local.HostLog;
import io.tributary.local.LocalHost;
import io.tributary.port.BlobInfo;
import io.tributary.port.BlobStore;
import io.tributary.port.StageQueue;
import io.tributary.run.BlobRef;
import io.tributary.run.CombineMessage;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.StageMessage;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.start.FileDropStage;
import io.tributary.start.RunStarter;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.StorageClients;
import io.tributary.table.TableLog;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.Eventually;
import io.tributary.testing.ParquetRows;
import io.tributary.testing.RunVersions;
import io.tributary.testing.SampleOrders;
import io.tributary.testing.TableRows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exactly-once datasets, case by case, on a real Azurite: a stage message delivered twice (one after the other, and
 * two invocations at the same moment), the file-drop trigger fired twice for one blob version, an invocation that dies
 * right after one of its writes (so its message is delivered again although its output is there), a delivery
 * overtaken by a duplicate (the first to start is the last to finish), a message delivered again long after its run
 * committed, and two local hosts running at once on the same queues and containers. The cases run in two variants of
 * the pipeline: its input in one chunk, and the same input cut into several chunks whose rows are routed by key into
 * buckets, combined bucket by bucket (fan-out, key routing, combine, and the fan-ins to combine and to store); there a
 * case disturbs a chunk or bucket in the middle and the last one, which completes its set and hands the run on. The
 * cut run's undisturbed dataset holds the rows and counts of the one-chunk run's. Each case runs the same input
 * through a pipeline of its own and must
 * commit exactly the dataset an undisturbed run of that input commits — same rows (read back with parquet-java), same
 * manifest counts, same files and nothing more — as one run with one manifest, its stage reports all succeeded. After
 * every single delivery the commit rule is checked: a run without {@code _manifest.json} is seen by no consumer, and
 * {@code latest.json} only ever names a committed manifest.
 *
 * <p>Both variants again write a Delta table ({@code output.table}), appending and merging by key, with the cases of
 * the stages that write to the table, and the store's own: dying right after a merge's data file, after the table's
 * commit (the version there, no manifest yet) and after its checkpoint. The case's run commits the table's second
 * version, and the table must hold one version per run, the run's transaction in exactly one, and the rows an
 * undisturbed run's version holds; after every delivery, the run's transaction is in one version at most.
 *
 * <p>Each stage invocation is built afresh, as a new function invocation (or another host) would be; a crash is an
 * {@link Error} thrown right after a chosen write took effect, which no stage catches, so no clean-up of the stage runs.
 */
class ExactlyOnceIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    static final int ROWS = 800;

    /**
     * The pipeline every case runs, in variants: the orders sample as it is, whose input is one chunk, and the same
     * with a top-level {@code chunkSize} that cuts the input into several chunks. Its {@code unique} expectation then
     * routes each chunk's rows into key buckets, combined one bucket at a time before the store: fan-out, key routing,
     * combine and two fan-ins. Each of the two again with {@code output.table}, appending to or merging by order id
     * into the pipeline's Delta table; there a case's run commits the table's second version, the first being an
     * undisturbed run of {@link #base}, and every version after the first has a checkpoint.
     */
    enum Variant {
        ONE_CHUNK("", null, null),
        CHUNKED("cut-", "16KB", null),
        APPEND("append-", null, APPEND_TABLE),
        APPEND_CHUNKED("append-cut-", "16KB", APPEND_TABLE),
        MERGE("merge-", null, MERGE_TABLE),
        MERGE_CHUNKED("merge-cut-", "16KB", MERGE_TABLE);

        final String prefix;
        final String chunkSize;
        final String table;

        Variant(String prefix, String chunkSize, String table) {
            this.prefix = prefix;
            this.chunkSize = chunkSize;
            this.table = table;
        }

        boolean cut() {
            return chunkSize != null;
        }

        boolean table() {
            return table != null;
        }

        boolean merges() {
            return MERGE_TABLE.equals(table);
        }

        /**
         * Whether {@code stage} writes to this variant's table: the store commits its version, and an append's data
         * files are written straight into its folder by transform (one chunk) or combine (cut). A table variant
         * disturbs these stages only; the others do what they do without a table, which the other variants cover.
         */
        boolean writesTable(Class<? extends StageMessage> stage) {
            return table() && (stage == StoreMessage.class
                    || !merges() && stage == (cut() ? CombineMessage.class : TransformMessage.class));
        }

        /** The orders sample as pipeline {@code name}, cut into chunks and writing a table if this variant does. */
        String definition(String name) {
            String text = orders.replace("\"name\": \"orders\"", "\"name\": \"" + name + "\"")
                    .replace("orders/*.csv", name + "/*.csv");
            if (cut()) {
                text = text.replace("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"chunkSize\": \"" + chunkSize + "\",");
            }
            if (table()) {
                text = text.replace("\"compression\": \"zstd\" }", "\"compression\": \"zstd\", \"table\": " + table + " }");
            }
            // A merged table's split keys are among its keys, so that an update never moves a key to another split.
            return merges() ? text.replace("\"keys\": [\"customer_id\"]", "\"keys\": [\"order_id\"]") : text;
        }

        @Override
        public String toString() {
            String chunks = cut() ? "cut into chunks" : "one chunk";
            return table() ? (merges() ? "merge" : "append") + " table, " + chunks : chunks;
        }
    }

    static final String APPEND_TABLE = "{\"mode\": \"append\", \"checkpointInterval\": 1}";
    static final String MERGE_TABLE = "{\"mode\": \"merge\", \"keys\": [\"order_id\"], \"orderBy\": \"order_date\", "
            + "\"checkpointInterval\": 1}";
    /** The rows of a table variant's first version: ids that overlap the case's input in part, other values. */
    static final int BASE_ROWS = 200;

    static StorageClients clients;
    static BlobStore blobs;
    static RunHistory history;
    static String orders;
    static Path work;
    static Path input;
    /** The input of the run that commits a table variant's first version. */
    static Path base;
    /** What an undisturbed run of {@link #input} commits, reports and sends, in each variant. */
    static final Map<Variant, Undisturbed> expected = new EnumMap<>(Variant.class);
    static ExecutorService threads;

    /**
     * One run's output as a consumer sees it, without what names the run. A run into a table: its rows are those of
     * the table version it committed (partition values included), its files the ones the version added.
     */
    record Dataset(Manifest.Rows rows, Map<SplitName, Long> splits, List<String> schema, List<String> files,
                   Map<String, Long> blobSizes, List<Map<String, Object>> data, String statistics, String expectations,
                   Manifest.TableVersion table) {
    }

    /**
     * An undisturbed run: its dataset, its stage reports ("stage/piece status in out rejected", in order), and the
     * kinds of message its stages sent, in order.
     */
    record Undisturbed(Dataset dataset, List<String> reports, List<String> messages) {
    }

    @BeforeAll
    static void undisturbedRuns() throws Exception {
        clients = AZURITE.clients();
        blobs = new AzureBlobStore(clients.blobs());
        history = new RunHistory(new RunStore(blobs));
        orders = Files.readString(AzuriteExtension.projectRoot().resolve("pipeline-defs/orders.json"))
                .replace("\"$schema\": \"./schema/pipeline.schema.json\",", "");
        work = AZURITE.dataDir().resolve("work");
        input = AZURITE.dataDir().resolve("orders.csv");
        Files.writeString(input, orders(ROWS, 1));
        base = AZURITE.dataDir().resolve("base.csv");
        Files.writeString(base, SampleOrders.csv(BASE_ROWS, 100000L + ROWS / 2, new Random(BASE_ROWS)));
        threads = Executors.newCachedThreadPool();

        for (Variant variant : Variant.values()) {
            Chain reference = chain("once-reference", variant);
            RunId runId = reference.drop(input, "orders.csv");
            reference.deliverRest();
            expected.put(variant, new Undisturbed(dataset(reference, runId), reports(runId),
                    reference.queue.sent.stream().map(m -> m.getClass().getSimpleName()).toList()));
            assertExactlyOnce(reference, runId, expected.get(variant));
        }

        Undisturbed one = expected.get(Variant.ONE_CHUNK);
        Dataset whole = one.dataset();
        // The input exercises every path a row can take: kept in each split, rejected, filtered out.
        assertEquals(ROWS, whole.rows().in());
        assertTrue(whole.rows().rejected() > 0 && whole.rows().out() > 0
                && whole.rows().out() + whole.rows().rejected() < ROWS, whole.rows().toString());
        assertEquals(List.of("train", "validation", "test"), whole.splits().keySet().stream().map(SplitName::text).toList());
        assertTrue(whole.splits().values().stream().allMatch(n -> n > 0), whole.splits().toString());
        assertEquals(whole.rows().out(), whole.data().size());
        String counts = whole.rows().in() + " " + whole.rows().out() + " " + whole.rows().rejected();
        assertEquals(List.of("extract/-1 succeeded 0 0 0", "transform/0 succeeded " + counts,
                "store/-1 succeeded " + counts), one.reports());
        assertEquals(List.of("ExtractMessage", "TransformMessage", "StoreMessage"), one.messages());

        // Cut into several chunks, each routing its rows into as many key buckets, combined before one store...
        Undisturbed cut = expected.get(Variant.CHUNKED);
        long chunks = cut.messages().stream().filter(m -> m.equals("TransformMessage")).count();
        long buckets = cut.messages().stream().filter(m -> m.equals("CombineMessage")).count();
        assertTrue(chunks >= 3, chunks + " chunks");
        assertEquals(chunks, buckets, "one key bucket per chunk");
        List<String> kinds = new ArrayList<>(List.of("ExtractMessage"));
        kinds.addAll(java.util.Collections.nCopies((int) chunks, "TransformMessage"));
        kinds.addAll(java.util.Collections.nCopies((int) buckets, "CombineMessage"));
        kinds.add("StoreMessage");
        assertEquals(kinds, cut.messages());
        assertEquals(1 + chunks + buckets + 1, cut.reports().size(), cut.reports().toString());
        assertEquals("store/-1 succeeded " + counts, cut.reports().get(cut.reports().size() - 1));
        assertEquals(ROWS, cut.reports().stream().filter(r -> r.startsWith("transform/"))
                .mapToLong(r -> Long.parseLong(r.split(" ")[2])).sum(), "the chunks read every row once");
        // ... commits the rows of one chunk, with the same counts; the names of the parts differ.
        Dataset parts = cut.dataset();
        assertEquals(whole.rows(), parts.rows());
        assertEquals(whole.splits(), parts.splits());
        assertEquals(whole.schema(), parts.schema());
        assertEquals(whole.data(), parts.data());
        assertEquals(whole.expectations(), parts.expectations(), "the expectations judged the same rows");
        // Column statistics agree but for the distinct estimates, which a cut run merges as the largest of its pieces'.
        assertEquals(whole.statistics().replaceAll("\"distinct\":\\d+", ""),
                parts.statistics().replaceAll("\"distinct\":\\d+", ""), "statistics but distinct estimates");
        assertTrue(parts.files().size() > whole.files().size(), "parts from several buckets: " + parts.files());

        // A table variant's run commits its table's second version, with the counts of a run without a table. An
        // append adds the run's rows, in their splits, to the first version's...
        List<Map<String, Object>> appended = new ArrayList<>(versionRows("append-once-reference", 0));
        for (Map<String, Object> row : whole.data()) {
            Map<String, Object> inTable = new java.util.LinkedHashMap<>(row);
            inTable.put(RunLayout.SPLIT_PARTITION, ((SplitName) inTable.remove("_split")).text());
            appended.add(inTable);
        }
        for (Variant table : List.of(Variant.APPEND, Variant.APPEND_CHUNKED)) {
            Dataset version = expected.get(table).dataset();
            assertEquals(whole.rows(), version.rows(), table.toString());
            assertEquals(whole.splits(), version.splits(), table.toString());
            assertEquals(sorted(appended), version.data(), table + ": the first version's rows and the run's");
        }
        // ... a merge upserts them by order id: of a key in both, the row with the later order date, the run's on a tie.
        Map<Object, Map<String, Object>> merged = new TreeMap<>();
        withoutSplit(versionRows("merge-once-reference", 0)).forEach(row -> merged.put(row.get("order_id"), row));
        int kept = 0;
        for (Map<String, Object> row : withoutSplit(whole.data())) {
            Map<String, Object> there = merged.get(row.get("order_id"));
            boolean tableWins = there != null && compare(there.get("order_date"), row.get("order_date")) > 0;
            kept += tableWins ? 1 : 0;
            merged.put(row.get("order_id"), tableWins ? there : row);
        }
        assertTrue(kept > 0, "some keys keep the table's newer row");
        for (Variant table : List.of(Variant.MERGE, Variant.MERGE_CHUNKED)) {
            Dataset version = expected.get(table).dataset();
            assertEquals(whole.rows(), version.rows(), table.toString());
            assertEquals(List.copyOf(merged.values()), withoutSplit(version.data()), table + ": the merged rows");
            assertTrue(version.table().filesRemoved() > 0, table + " rewrote the files of updated keys: " + version.table());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    @AfterAll
    static void stopThreads() {
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------- delivered twice

    /**
     * Which of a stage's messages a case disturbs: the first, one in the middle (a chunk or key bucket that does not
     * complete its set, when there are several) or the last, which completes the set and hands the run on.
     */
    enum Pick {
        FIRST, MIDDLE, LAST;

        int index(int of) {
            return this == FIRST ? 0 : this == MIDDLE ? of / 2 : of - 1;
        }
    }

    /** One message of a stage: {@code stage} names it ("fileDrop" for the trigger), {@code pick} which one. */
    record Target(String stage, Pick pick) {

        Class<? extends StageMessage> type() {
            return switch (stage) {
                case "extract" -> ExtractMessage.class;
                case "transform" -> TransformMessage.class;
                case "combine" -> CombineMessage.class;
                case "store" -> StoreMessage.class;
                default -> throw new IllegalArgumentException(stage);
            };
        }

        @Override
        public String toString() {
            return pick == Pick.FIRST ? stage : stage + " (" + pick.name().toLowerCase() + ")";
        }
    }

    /** The messages each variant's cases disturb: in a cut run, a chunk and a key bucket in the middle and the last. */
    static List<Target> targets(Variant variant, boolean fileDrop) {
        List<Target> targets = new ArrayList<>();
        if (fileDrop && variant == Variant.ONE_CHUNK) {
            targets.add(new Target("fileDrop", Pick.FIRST)); // starting a run does not depend on how it is cut
        }
        targets.add(new Target("extract", Pick.FIRST));
        if (!variant.cut()) {
            targets.add(new Target("transform", Pick.FIRST));
        } else {
            for (String stage : List.of("transform", "combine")) {
                targets.add(new Target(stage, Pick.MIDDLE));
                targets.add(new Target(stage, Pick.LAST));
            }
        }
        targets.add(new Target("store", Pick.FIRST));
        if (variant.table()) {
            targets.removeIf(t -> !variant.writesTable(t.type()));
        }
        return targets;
    }

    static Stream<Arguments> twice() {
        List<Arguments> cases = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            for (Target target : targets(variant, true)) {
                for (boolean concurrent : List.of(false, true)) {
                    cases.add(Arguments.of(variant, target, concurrent));
                }
            }
        }
        return cases.stream();
    }

    /**
     * The file-drop trigger, or one stage's message, delivered twice: one delivery after the other (the second after
     * the first succeeded, as when a message's deletion is lost), or two invocations with the same message at once.
     */
    @ParameterizedTest(name = "{0}: {1} delivered twice, concurrently: {2}")
    @MethodSource("twice")
    void aDeliveryTwiceCommitsOneDatasetEqualToAnUndisturbedRun(Variant variant, Target target, boolean concurrent)
            throws Exception {
        Chain chain = chain("twice-" + target.stage().toLowerCase() + "-" + target.pick().name().toLowerCase()
                + (concurrent ? "-concurrent" : "-sequential"), variant);
        String name = chain.upload(input, "orders.csv");
        RunId runId = chain.runId(name);
        if (target.stage().equals("fileDrop")) {
            chain.twice(() -> chain.fileDrop().drop(name, Optional.empty()), concurrent, runId);
            assertEquals(List.of(runId), chain.runIds(), "one run for one blob version");
        } else {
            chain.fireDrop(name);
            StageMessage message = chain.deliverUntil(target.type(), target.pick(), runId);
            chain.twice(() -> chain.deliver(message), concurrent, runId);
        }
        chain.deliverRest();

        assertExactlyOnce(chain, runId, expected.get(variant));
    }

    // ------------------------------------------------------------------------------------ crash after a stage's write

    /**
     * Where an invocation dies: right after a write of its stage (in the delivery of the message {@code pick} names)
     * took effect, before anything that follows it.
     */
    record CrashPoint(String name, Class<? extends StageMessage> stage, Pick pick, String operation, String where) {

        CrashPoint(String name, Class<? extends StageMessage> stage, String operation, String where) {
            this(name, stage, Pick.FIRST, operation, where);
        }

        boolean matches(String op, String container, String blob) {
            return op.equals(operation) && (container + "/" + blob).matches(where);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The writes an invocation may die after. In a cut run: those of the transform of a chunk in the middle and of the
     * last, which wins the claim to hand the key buckets to combine; those of the combine of a bucket in the middle
     * and of the last, which wins the store claim; and extract's fan-out. The commit's are the same in either variant;
     * committing to a table, they include the merge's data files, the table's commit (its version there, the manifest
     * not yet) and its checkpoint. A table variant has the points of the stages that write to its table.
     */
    static List<CrashPoint> crashPoints(Variant variant) {
        List<CrashPoint> points = new ArrayList<>();
        if (variant.cut()) {
            points.addAll(List.of(
                    new CrashPoint("extract after sending a chunk", ExtractMessage.class, "send",
                            RunLayout.TRANSFORM_QUEUE + "/"),
                    new CrashPoint("transform (middle chunk) after a routed part", TransformMessage.class, Pick.MIDDLE,
                            "upload", RunLayout.RUNS + "/.*/routed/.*\\.parquet"),
                    new CrashPoint("transform (last chunk) after recording the chunk", TransformMessage.class,
                            Pick.LAST, "createIfAbsent", RunLayout.RUNS + "/.*/chunks/.*"),
                    new CrashPoint("transform (last chunk) after the combine claim", TransformMessage.class, Pick.LAST,
                            "createIfAbsent", RunLayout.RUNS + "/.*/combine\\.claim"),
                    new CrashPoint("transform (last chunk) after sending a combine message", TransformMessage.class,
                            Pick.LAST, "send", RunLayout.COMBINE_QUEUE + "/"),
                    new CrashPoint("combine (middle bucket) after a data part", CombineMessage.class, Pick.MIDDLE,
                            "upload", RunLayout.TRAINING + "/.*\\.parquet"),
                    new CrashPoint("combine (middle bucket) after its rejects", CombineMessage.class, Pick.MIDDLE,
                            "upload", RunLayout.TRAINING + "/.*/_rejects/bucket-.*"),
                    new CrashPoint("combine (last bucket) after recording the bucket", CombineMessage.class, Pick.LAST,
                            "createIfAbsent", RunLayout.RUNS + "/.*/buckets/.*"),
                    new CrashPoint("combine (last bucket) after the store claim", CombineMessage.class, Pick.LAST,
                            "createIfAbsent", RunLayout.RUNS + "/.*/store\\.claim"),
                    new CrashPoint("combine (last bucket) after sending the store message", CombineMessage.class,
                            Pick.LAST, "send", RunLayout.STORE_QUEUE + "/")));
        } else {
            points.addAll(List.of(
                    new CrashPoint("extract after its plan", ExtractMessage.class, "createIfAbsent",
                            RunLayout.RUNS + "/.*/plan\\.json"),
                    new CrashPoint("extract after sending the chunk", ExtractMessage.class, "send",
                            RunLayout.TRANSFORM_QUEUE + "/"),
                    new CrashPoint("transform after a data part", TransformMessage.class, "upload",
                            RunLayout.TRAINING + "/.*\\.parquet"),
                    new CrashPoint("transform after its rejects", TransformMessage.class, "upload",
                            RunLayout.TRAINING + "/.*/_rejects/.*"),
                    new CrashPoint("transform after recording the chunk", TransformMessage.class, "createIfAbsent",
                            RunLayout.RUNS + "/.*/chunks/.*"),
                    new CrashPoint("transform after the store claim", TransformMessage.class, "createIfAbsent",
                            RunLayout.RUNS + "/.*/store\\.claim"),
                    new CrashPoint("transform after sending the store message", TransformMessage.class, "send",
                            RunLayout.STORE_QUEUE + "/")));
            if (variant.merges()) {
                points.add(new CrashPoint("store after a merged data file", StoreMessage.class, "upload",
                        RunLayout.TRAINING + "/.*/table/split=.*\\.parquet"));
            }
            if (variant.table()) {
                points.addAll(List.of(
                        new CrashPoint("store after the table's commit", StoreMessage.class, "createIfAbsent",
                                RunLayout.TRAINING + "/.*/table/_delta_log/\\d{20}\\.json"),
                        new CrashPoint("store after the table's checkpoint", StoreMessage.class, "upload",
                                RunLayout.TRAINING + "/.*/table/_delta_log/\\d{20}\\.checkpoint\\.parquet"),
                        new CrashPoint("store after _last_checkpoint", StoreMessage.class, "put",
                                RunLayout.TRAINING + "/.*/table/_delta_log/_last_checkpoint")));
            }
            points.addAll(List.of(
                    new CrashPoint("store after an MLTable", StoreMessage.class, "put",
                            RunLayout.TRAINING + "/.*/MLTable"),
                    new CrashPoint("store after the manifest", StoreMessage.class, "createIfAbsent",
                            RunLayout.TRAINING + "/.*/_manifest\\.json"),
                    new CrashPoint("store after latest.json", StoreMessage.class, "putIfUnchanged",
                            RunLayout.TRAINING + "/.*/latest\\.json"),
                    new CrashPoint("store after the outcome", StoreMessage.class, "createIfAbsent",
                            RunLayout.RUNS + "/.*/outcome\\.json")));
        }
        if (variant.table()) {
            points.removeIf(p -> !variant.writesTable(p.stage()));
        }
        return points;
    }

    static Stream<Arguments> crashPoints() {
        return Stream.of(Variant.values()).flatMap(v -> crashPoints(v).stream().map(c -> Arguments.of(v, c)));
    }

    /**
     * An invocation dies right after a write (its output is there, its message was not deleted); the message is
     * delivered again to a new invocation, and the run goes on.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("crashPoints")
    void aRedeliveryAfterACrashRightAfterAWriteCommitsOneDataset(Variant variant, CrashPoint crash) throws Exception {
        Chain chain = chain("crash-" + crashPoints(variant).indexOf(crash), variant);
        RunId runId = chain.drop(input, "orders.csv");
        StageMessage message = chain.deliverUntil(crash.stage(), crash.pick(), runId);

        CrashingBlobs crashing = new CrashingBlobs(blobs, crash);
        assertThrows(Crash.class, () -> chain.deliver(message, crashing, crashing.queue(chain.queue)));
        assertTrue(crashing.crashed.get(), crash.name());
        chain.assertCommitRule(runId);
        if (crash.stage() != StoreMessage.class || !crash.where().matches(".*(_manifest|latest|outcome).*")) {
            assertTrue(history.manifest(chain.name, runId).isEmpty(), "not committed yet");
        }
        if (crash.where().contains("_delta_log")) {
            assertEquals(Map.of(0L, chain.base, 1L, runId), chain.tableVersions(), "the table holds the run's "
                    + "version, which no manifest names yet");
        }

        chain.deliver(message);
        chain.deliverRest();

        assertExactlyOnce(chain, runId, expected.get(variant));
    }

    // ----------------------------------------------------------------------------------- overtaken by a duplicate

    /**
     * Two deliveries of one stage message where the first to start is the last to finish: its first write of the
     * stage report ("running") is held until the other delivery has done the whole stage, then lands on top of that
     * one's "succeeded". The run must still commit once, and its reports end succeeded.
     */
    @ParameterizedTest(name = "{0}: {1} overtaken by a duplicate")
    @MethodSource("overtaken")
    void aDeliveryOvertakenByADuplicateLeavesOneDatasetAndItsReportSucceeded(Variant variant, Target target)
            throws Exception {
        Chain chain = chain("overtaken-" + target.stage() + "-" + target.pick().name().toLowerCase(), variant);
        RunId runId = chain.drop(input, "orders.csv");
        StageMessage message = chain.deliverUntil(target.type(), target.pick(), runId);
        overtake(chain, message, new HeldBlobs(blobs, "put", ".*/stages/.*"));

        assertExactlyOnce(chain, runId, expected.get(variant));
    }

    /**
     * A merge's store overtaken by a duplicate while it plans: it found no version of the run in the table and is
     * about to fetch the run's staged parts when the duplicate commits the run's version and deletes them. It must
     * find that version, commit nothing, and succeed.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Variant.class, names = {"MERGE", "MERGE_CHUNKED"})
    void aMergeOvertakenByADuplicateWhilePlanningFindsTheRunsVersion(Variant variant) throws Exception {
        Chain chain = chain("overtaken-planning", variant);
        RunId runId = chain.drop(input, "orders.csv");
        StageMessage store = chain.deliverUntil(StoreMessage.class, runId);
        overtake(chain, store, new HeldBlobs(blobs, "download",
                RunLayout.TRAINING + "/" + RunLayout.datasetFolder(chain.name, runId) + ".*\\.parquet"));

        assertExactlyOnce(chain, runId, expected.get(variant));
    }

    /**
     * Delivers {@code message} through {@code slow}, which holds it, then again, whole, before releasing the first;
     * both deliveries must succeed. Then delivers the rest.
     */
    static void overtake(Chain chain, StageMessage message, HeldBlobs slow) throws Exception {
        Future<?> first = threads.submit(() -> {
            chain.deliver(message, slow, chain.queue);
            return null;
        });
        assertTrue(slow.held.await(30, TimeUnit.SECONDS), "the first delivery reached " + slow.where);
        chain.deliver(message);
        slow.release.countDown();
        first.get(60, TimeUnit.SECONDS);
        chain.deliverRest();
    }

    /** Each stage's message; in a cut run, the last chunk's and, of the key buckets, one in the middle and the last. */
    static Stream<Arguments> overtaken() {
        return Stream.of(Variant.values()).flatMap(v -> targets(v, false).stream()
                .filter(t -> !v.cut() || t.stage().equals("combine")
                        || t.stage().equals("transform") && t.pick() == Pick.LAST)
                .map(t -> Arguments.of(v, t)));
    }

    // ----------------------------------------------------------------------------------- redelivered after the commit

    /** Each of a committed run's messages delivered once more: nothing of the dataset or of the run changes. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Variant.class)
    void aMessageDeliveredAgainAfterItsRunCommittedChangesNothing(Variant variant) throws Exception {
        Chain chain = chain("late", variant);
        RunId runId = chain.drop(input, "orders.csv");
        chain.deliverRest();
        assertExactlyOnce(chain, runId, expected.get(variant));
        Map<String, String> training = etags(RunLayout.TRAINING, chain.name + "/");
        Map<String, String> state = etags(RunLayout.RUNS, runId + "/");
        List<StageMessage> sent = List.copyOf(chain.queue.sent);
        assertEquals(expected.get(variant).messages(), sent.stream().map(m -> m.getClass().getSimpleName()).toList());

        chain.fireDrop(chain.name + "/orders.csv");
        for (StageMessage message : sent) {
            chain.deliver(message);
        }
        chain.deliverRest();

        assertEquals(sent, chain.queue.sent, "nothing handed on again");
        assertEquals(training, etags(RunLayout.TRAINING, chain.name + "/"), "no blob of the dataset was written");
        assertEquals(state, etags(RunLayout.RUNS, runId + "/"), "no record of the run was written");
        assertExactlyOnce(chain, runId, expected.get(variant));
    }

    // ------------------------------------------------------------------------------------------- two hosts at once

    static final int HOST_FILES = 8;

    /**
     * Two local hosts at once on the same storage account (same queues, same containers), as two instances of the app
     * would run, with host ids of their own, so that each blob trigger fires on both for every drop; many files dropped
     * together. Every run commits exactly once the dataset an undisturbed run of its file commits; one run and one
     * dataset per file; latest.json on the newest committed manifest; nothing poisoned.
     */
    @Test
    void twoHostsAtOnceCommitEveryDropExactlyOnce() throws Exception {
        List<Path> files = new ArrayList<>();
        List<Undisturbed> undisturbed = new ArrayList<>();
        Chain reference = new Chain("hosts-reference");
        for (int i = 0; i < HOST_FILES; i++) {
            Path file = AZURITE.dataDir().resolve("hosts-" + i + ".csv");
            Files.writeString(file, orders(200 + 150 * i, 10 + i));
            files.add(file);
            RunId runId = reference.drop(file, "orders-" + i + ".csv");
            reference.deliverRest();
            undisturbed.add(new Undisturbed(dataset(reference, runId), reports(runId), List.of()));
        }
        Chain chain = new Chain("two-hosts");
        Path defs = AZURITE.dataDir().resolve("two-hosts-defs");
        Files.createDirectories(defs);
        Files.writeString(defs.resolve(chain.name + ".json"), chain.pipeline.text());
        Settings.overlay(Map.of("TRIBUTARY_PIPELINE_DEFS", defs.toString(), "TRIBUTARY_SCHEDULE_TICK", "0 0 0 * * *"));
        HostJson hostJson = new HostJson(4, 2, 5, Duration.ZERO, Duration.ofMillis(250), Duration.ofMinutes(1));
        ByteArrayOutputStream logA = new ByteArrayOutputStream();
        ByteArrayOutputStream logB = new ByteArrayOutputStream();
        LocalHost a = new LocalHost(AZURITE.clients(), hostJson, new HostLog(new PrintStream(logA, true,
                StandardCharsets.UTF_8), true), "host-a");
        LocalHost b = new LocalHost(AZURITE.clients(), hostJson, new HostLog(new PrintStream(logB, true,
                StandardCharsets.UTF_8), true), "host-b");
        List<RunId> runIds = new ArrayList<>();
        try {
            a.start();
            b.start();
            for (int i = 0; i < HOST_FILES; i++) {
                runIds.add(chain.runId(chain.upload(files.get(i), "orders-" + i + ".csv")));
            }
            for (RunId runId : runIds) {
                RunOutcome outcome = Eventually.await("run " + runId + " to end", Duration.ofSeconds(60),
                        () -> history.status(runId).flatMap(RunHistory.RunStatus::outcome));
                assertEquals(RunState.COMMITTED, outcome.status(), outcome + "\n" + logA + "\n" + logB);
            }
        } finally {
            a.stop(Duration.ofSeconds(10));
            b.stop(Duration.ofSeconds(10));
        }

        for (int i = 0; i < HOST_FILES; i++) {
            String landed = chain.name + "/orders-" + i + ".csv";
            for (ByteArrayOutputStream log : List.of(logA, logB)) {
                assertTrue(log.toString(StandardCharsets.UTF_8).contains("New blob detected(" + RunLayout.LANDING
                        + "): " + landed), "both hosts' blob triggers fired for " + landed);
            }
        }
        assertEquals(runIds.stream().sorted().toList(), chain.runIds(), "one run per file");
        assertEquals(runIds.stream().sorted().toList(), committedRuns(chain.name), "one dataset per run");
        for (int i = 0; i < HOST_FILES; i++) {
            assertCommittedOnce(chain, runIds.get(i), undisturbed.get(i));
        }
        RunId newest = runIds.stream().max(Comparator.naturalOrder()).orElseThrow();
        LatestPointer latest = history.latest(chain.name).orElseThrow();
        assertEquals(newest, latest.runId());
        assertEquals(RunLayout.manifest(chain.name, newest), latest.manifest());
        for (String queue : List.of(RunLayout.EXTRACT_QUEUE, RunLayout.TRANSFORM_QUEUE, RunLayout.STORE_QUEUE,
                "webjobs-blobtrigger-poison")) {
            String poison = queue.endsWith("-poison") ? queue : queue + "-poison";
            assertEquals(0, clients.queue(poison).getProperties().getApproximateMessagesCount(), poison);
        }
        String both = logA.toString(StandardCharsets.UTF_8) + logB.toString(StandardCharsets.UTF_8);
        assertEquals(List.of(), both.lines().filter(l -> l.contains("(Failed")).toList(), "failed invocations");
    }

    // -------------------------------------------------------------------------------------------------- visibility

    /**
     * A run in progress is invisible: its parts are in its folder, but without its manifest no consumer sees it and
     * latest.json stays on the run before; it moves at the commit.
     */
    @Test
    void aRunInProgressIsSeenByNoConsumerUntilItsManifestIsCommitted() throws Exception {
        Chain chain = new Chain("visibility");
        // Two drops; the run id that sorts first (latest.json only moves forward) commits first.
        List<String> landed = new ArrayList<>(List.of(chain.upload(input, "a.csv"), chain.upload(input, "b.csv")));
        landed.sort(Comparator.comparing(chain::runId));
        RunId first = chain.runId(landed.get(0));
        RunId second = chain.runId(landed.get(1));
        assertNotEquals(first, second);
        chain.fireDrop(landed.get(0));
        chain.deliverRest();
        assertEquals(first, history.latest(chain.name).orElseThrow().runId());

        chain.fireDrop(landed.get(1));
        StoreMessage store = (StoreMessage) chain.deliverUntil(StoreMessage.class, second);
        String folder = RunLayout.datasetFolder(chain.name, second);
        List<String> written = blobs.list(RunLayout.TRAINING, folder);
        assertTrue(written.stream().anyMatch(n -> n.endsWith(".parquet")), "the parts are there: " + written);
        assertFalse(written.contains(RunLayout.manifest(chain.name, second)), written.toString());
        assertInvisible(chain, second, first);

        // A store that dies after the MLTables, right before its manifest: still nothing to see.
        CrashingBlobs crashing = new CrashingBlobs(blobs, new CrashPoint("before the manifest", StoreMessage.class,
                "put", RunLayout.TRAINING + "/.*/test/MLTable"));
        assertThrows(Crash.class, () -> chain.deliver(store, crashing, chain.queue));
        assertTrue(blobs.list(RunLayout.TRAINING, folder).stream().anyMatch(n -> n.endsWith("/MLTable")));
        assertInvisible(chain, second, first);

        chain.deliver(store);
        chain.deliverRest();
        LatestPointer latest = history.latest(chain.name).orElseThrow();
        assertEquals(second, latest.runId());
        assertEquals(RunLayout.manifest(chain.name, second), latest.manifest());
        assertEquals(List.of(first, second), committedRuns(chain.name));
        assertSameDataset(expected.get(Variant.ONE_CHUNK).dataset(), dataset(chain, second), second.text());
    }

    private static void assertInvisible(Chain chain, RunId inProgress, RunId committed) {
        assertEquals(Optional.empty(), history.manifest(chain.name, inProgress));
        assertTrue(history.status(inProgress).orElseThrow().outcome().isEmpty());
        LatestPointer latest = history.latest(chain.name).orElseThrow();
        assertEquals(committed, latest.runId());
        assertEquals(RunLayout.manifest(chain.name, committed), latest.manifest());
        assertEquals(List.of(committed), committedRuns(chain.name));
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    /** The runs of {@code pipeline} a consumer finds: the folders under its name (its table's aside) that hold a manifest. */
    static List<RunId> committedRuns(String pipeline) {
        return blobs.folders(RunLayout.TRAINING, pipeline + "/").stream()
                .filter(folder -> !(folder + "/").equals(RunLayout.table(pipeline)))
                .map(folder -> RunId.parse(folder.substring(pipeline.length() + 1)))
                .filter(runId -> blobs.properties(RunLayout.TRAINING, RunLayout.manifest(pipeline, runId)).isPresent())
                .toList();
    }

    /** Every blob under {@code prefix} with its ETag. */
    static Map<String, String> etags(String container, String prefix) {
        Map<String, String> etags = new TreeMap<>();
        for (String name : blobs.list(container, prefix)) {
            etags.put(name, blobs.properties(container, name).orElseThrow().etag());
        }
        return etags;
    }

    /**
     * The run committed once: it is its pipeline's only run and only dataset, its outcome names its one manifest,
     * latest.json points at that manifest, its dataset is {@code expected}, its stage reports all say succeeded.
     */
    static void assertExactlyOnce(Chain chain, RunId runId, Undisturbed expected) throws Exception {
        String pipeline = chain.name;
        List<RunId> runs = chain.base == null ? List.of(runId) : List.of(chain.base, runId);
        assertEquals(runs, chain.runIds(), "the runs of " + pipeline);
        RunHistory.RunStatus status = history.status(runId).orElseThrow();
        Manifest manifest = status.manifest().orElseThrow(() -> new AssertionError("no manifest: " + status));
        assertEquals(RunOutcome.committed(manifest.committedAt()), status.outcome().orElseThrow(), runId.text());
        assertEquals(runs, committedRuns(pipeline), "one dataset per run");
        List<String> folders = new ArrayList<>(runs.stream().map(r -> RunLayout.datasetFolder(pipeline, r)
                .replaceAll("/$", "")).toList());
        if (chain.variant.table()) {
            folders.add(RunLayout.table(pipeline).replaceAll("/$", ""));
            assertEquals(Map.of(0L, chain.base, 1L, runId), chain.tableVersions(), "one version per run, this run's "
                    + "the second");
        }
        folders.add(pipeline + "/latest.json");
        assertEquals(folders, Stream.concat(blobs.folders(RunLayout.TRAINING, pipeline + "/").stream(),
                blobs.list(RunLayout.TRAINING, pipeline + "/").stream().filter(n -> n.endsWith("latest.json")))
                .toList(), "nothing else under " + pipeline);
        assertEquals(new LatestPointer(pipeline, runId, RunLayout.manifest(pipeline, runId), manifest.committedAt()),
                history.latest(pipeline).orElseThrow());
        assertCommittedOnce(chain, runId, expected);
    }

    /**
     * The run committed once: its outcome names the moment of its one manifest, its dataset is {@code expected}'s, its
     * stage reports are an undisturbed run's: all succeeded, with the same counts.
     */
    static void assertCommittedOnce(Chain chain, RunId runId, Undisturbed expected) throws Exception {
        RunHistory.RunStatus status = history.status(runId).orElseThrow();
        Manifest manifest = status.manifest().orElseThrow(() -> new AssertionError("no manifest: " + status));
        assertEquals(RunOutcome.committed(manifest.committedAt()), status.outcome().orElseThrow(), runId.text());
        assertSameDataset(expected.dataset(), dataset(chain, runId), runId.text());
        assertEquals(expected.reports(), reports(runId), runId.text());
    }

    /** A run's stage reports, in order: "stage/piece status in out rejected". */
    static List<String> reports(RunId runId) {
        return history.status(runId).orElseThrow().stages().stream().map(s -> s.stage() + "/" + s.chunk() + " "
                + s.status() + " " + s.rowsIn() + " " + s.rowsOut() + " " + s.rowsRejected()).toList();
    }

    /** Compares two datasets part by part, so that a difference reads short. */
    static void assertSameDataset(Dataset expected, Dataset actual, String what) {
        assertEquals(expected.rows(), actual.rows(), what + ": rows");
        assertEquals(expected.splits(), actual.splits(), what + ": splits");
        assertEquals(expected.schema(), actual.schema(), what + ": schema");
        assertEquals(expected.files(), actual.files(), what + ": files");
        assertEquals(expected.blobSizes(), actual.blobSizes(), what + ": blobs in the folder");
        assertEquals(expected.data().size(), actual.data().size(), what + ": rows read back");
        for (int i = 0; i < expected.data().size(); i++) {
            assertEquals(expected.data().get(i), actual.data().get(i), what + ": row " + i);
        }
        assertEquals(expected.statistics(), actual.statistics(), what + ": statistics");
        assertEquals(expected.expectations(), actual.expectations(), what + ": expectations");
        assertEquals(expected.table(), actual.table(), what + ": table version");
        assertEquals(expected, actual, what);
    }

    /**
     * The committed dataset of a run, its rows read back with parquet-java, with names relative to its folder; for a
     * run into a table, the rows of the version it committed, read by the table's log, and the files it added with the
     * run's id (and a merge attempt's token) left out of their names.
     */
    static Dataset dataset(Chain chain, RunId runId) throws Exception {
        Manifest manifest = history.manifest(chain.name, runId).orElseThrow();
        String folder = RunLayout.datasetFolder(chain.name, runId);
        Map<String, Long> sizes = new TreeMap<>();
        for (String name : blobs.list(RunLayout.TRAINING, folder)) {
            // The manifest names its pipeline and run, so only its presence compares across pipelines.
            // Each reject names its source, the landed file, whose name differs between cases: compared as if alike.
            sizes.put(name.substring(folder.length()), name.endsWith(RunLayout.MANIFEST) ? 0
                    : name.startsWith(folder + "_rejects/") ? new String(blobs.read(RunLayout.TRAINING, name)
                    .orElseThrow().content(), java.nio.charset.StandardCharsets.UTF_8).replaceAll(
                    "\\{\"source\":\"[^\"]*\",", "{").getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    : blobs.properties(RunLayout.TRAINING, name).orElseThrow().size());
        }
        List<Map<String, Object>> data;
        Manifest.TableVersion table = manifest.table();
        if (table == null) {
            for (Manifest.DataFile file : manifest.files()) {
                assertEquals(file.bytes(), sizes.get(file.path()), "the manifest's size of " + file.path());
            }
            data = sorted(ParquetRows.ofDataset(clients.blobs().getBlobContainerClient(RunLayout.TRAINING), manifest,
                    AZURITE.dataDir()));
        } else {
            data = versionRows(chain.name, table.version());
            table = new Manifest.TableVersion(null, table.version(), table.mode(), table.filesAdded(),
                    table.filesRemoved(), table.rowsAdded(), table.rowsRemoved());
        }
        return new Dataset(manifest.rows(), manifest.splits(), manifest.schema().stream().map(c -> c.name()).toList(),
                manifest.files().stream().map(f -> f.path().replace(runId.text(), "{run}")
                        .replaceAll("-m[0-9a-f]{8}", "-m{attempt}") + " " + f.split() + " " + f.rows()).toList(),
                sizes, data, Json.compact(manifest.statistics()), Json.compact(manifest.expectations()), table);
    }

    /** The rows of {@code version} of {@code pipeline}'s table, with their split, read by the table's log. */
    static List<Map<String, Object>> versionRows(String pipeline, long version) throws Exception {
        return sorted(TableRows.read(blobs, pipeline, tableLog(pipeline).at(version),
                AZURITE.dataDir().resolve("table-rows"), "order_id"));
    }

    static TableLog tableLog(String pipeline) {
        return RunVersions.log(blobs, pipeline, AZURITE.dataDir().resolve("table-log"));
    }

    /** {@code rows} by order id (an append's table may hold one twice), then by all their values. */
    static List<Map<String, Object>> sorted(List<Map<String, Object>> rows) {
        List<Map<String, Object>> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.<Map<String, Object>, Long>comparing(r -> (Long) r.get("order_id"))
                .thenComparing(String::valueOf));
        return sorted;
    }

    /** {@code rows} without their split: a table's partition column, or what a dataset's file holds. */
    static List<Map<String, Object>> withoutSplit(List<Map<String, Object>> rows) {
        return sorted(rows.stream().map(r -> {
            Map<String, Object> row = new java.util.LinkedHashMap<>(r);
            row.remove(RunLayout.SPLIT_PARTITION);
            row.remove("_split");
            return row;
        }).toList());
    }

    /**
     * {@code rows} orders, ids from {@code 100000 * file}: a reject (an amount that is not a number, a missing
     * amount) now and then, refunds and USD orders that the steps filter out, items out of range that an expectation
     * drops; customers shared between rows, so that the split by customer has something to keep together.
     */
    static String orders(int rows, int file) {
        return SampleOrders.csv(rows, 100000L * file, new Random(file));
    }

    /** Thrown right after a chosen write took effect: the invocation dies there; no stage catches an Error. */
    static final class Crash extends Error {
        Crash(String where) {
            super("crashed " + where);
        }
    }

    /** The real blob store, with a hook before and after each write (and queue send) an invocation makes. */
    abstract static class Intercepted implements BlobStore {
        final BlobStore blobs;

        Intercepted(BlobStore blobs) {
            this.blobs = blobs;
        }

        /**
         * Called before the write {@code op} of {@code container/name} (for a send: the queue's name and ""), and
         * before a {@code download}.
         */
        void before(String op, String container, String name) {
        }

        /** Called after the write {@code op} of {@code container/name} took effect. */
        void after(String op, String container, String name) {
        }

        private <T> T write(String op, String container, String name, java.util.function.Supplier<T> call) {
            before(op, container, name);
            T result = call.get();
            after(op, container, name);
            return result;
        }

        StageQueue queue(StageQueue queue) {
            return (name, message) -> write("send", name, "", () -> {
                queue.send(name, message);
                return null;
            });
        }

        @Override
        public Optional<BlobInfo> properties(String container, String name) {
            return blobs.properties(container, name);
        }

        @Override
        public void download(BlobRef blob, long offset, long length, java.io.OutputStream target) {
            before("download", blob.container(), blob.name());
            blobs.download(blob, offset, length, target);
        }

        @Override
        public long upload(String container, String name, Path file) {
            return write("upload", container, name, () -> blobs.upload(container, name, file));
        }

        @Override
        public boolean createIfAbsent(String container, String name, byte[] content) {
            return write("createIfAbsent", container, name, () -> blobs.createIfAbsent(container, name, content));
        }

        @Override
        public void put(String container, String name, byte[] content) {
            write("put", container, name, () -> {
                blobs.put(container, name, content);
                return null;
            });
        }

        @Override
        public boolean putIfUnchanged(String container, String name, byte[] content, String etag) {
            return write("putIfUnchanged", container, name, () -> blobs.putIfUnchanged(container, name, content, etag));
        }

        @Override
        public Optional<Versioned> read(String container, String name) {
            return blobs.read(container, name);
        }

        @Override
        public void copy(BlobRef source, String container, String name) {
            write("copy", container, name, () -> {
                blobs.copy(source, container, name);
                return null;
            });
        }

        @Override
        public boolean deleteIfMatch(BlobRef blob) {
            return write("deleteIfMatch", blob.container(), blob.name(), () -> blobs.deleteIfMatch(blob));
        }

        @Override
        public void delete(String container, String name) {
            write("delete", container, name, () -> {
                blobs.delete(container, name);
                return null;
            });
        }

        @Override
        public List<String> list(String container, String prefix) {
            return blobs.list(container, prefix);
        }

        @Override
        public List<String> folders(String container, String prefix) {
            return blobs.folders(container, prefix);
        }
    }

    /** The blob store (and queue) of an invocation that crashes right after the write {@code point} names, once. */
    static final class CrashingBlobs extends Intercepted {
        final CrashPoint point;
        final AtomicBoolean crashed = new AtomicBoolean();

        CrashingBlobs(BlobStore blobs, CrashPoint point) {
            super(blobs);
            this.point = point;
        }

        @Override
        void after(String op, String container, String name) {
            if (point.matches(op, container, name) && crashed.compareAndSet(false, true)) {
                throw new Crash(point.name() + " (" + op + " " + container + "/" + name + ")");
            }
        }
    }

    /**
     * The blob store of an invocation whose first {@code op} of a blob matching {@code where} (its first write of its
     * stage report, say) is held (as a slow request, or one retried after a 503, would be) until {@link #release} — so
     * that it lands after whatever another invocation did meanwhile.
     */
    static final class HeldBlobs extends Intercepted {
        final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final String op;
        final String where;

        HeldBlobs(BlobStore blobs, String op, String where) {
            super(blobs);
            this.op = op;
            this.where = where;
        }

        @Override
        void before(String op, String container, String name) {
            if (op.equals(this.op) && (container + "/" + name).matches(where) && held.getCount() > 0) {
                held.countDown();
                try {
                    assertTrue(release.await(60, TimeUnit.SECONDS), "released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /**
     * The pipeline {@code name} in {@code variant}; in a table variant, with its table's first version committed by
     * an undisturbed run of {@link #base} (through a queue of its own, so the chain's holds the case's messages only).
     */
    static Chain chain(String name, Variant variant) throws InterruptedException {
        Chain chain = new Chain(name, variant);
        if (variant.table()) {
            Chain first = new Chain(name, variant);
            chain.base = first.drop(base, "base.csv");
            first.deliverRest();
            // The case's run is to be the newer one, that latest.json moves to: its drop comes a second later.
            long second = blobs.properties(RunLayout.LANDING, chain.name + "/base.csv").orElseThrow().lastModified()
                    .getEpochSecond();
            while (Clock.systemUTC().instant().getEpochSecond() <= second) {
                Thread.sleep(20);
            }
        }
        return chain;
    }

    /** A queue that keeps every message sent, safe for invocations running at once. */
    static final class SharedQueue implements StageQueue {
        final List<StageMessage> sent = new CopyOnWriteArrayList<>();

        @Override
        public void send(String queue, StageMessage message) {
            String expectedQueue = message instanceof ExtractMessage ? RunLayout.EXTRACT_QUEUE
                    : message instanceof TransformMessage ? RunLayout.TRANSFORM_QUEUE
                    : message instanceof CombineMessage ? RunLayout.COMBINE_QUEUE : RunLayout.STORE_QUEUE;
            assertEquals(expectedQueue, queue, message.toString());
            sent.add(message);
        }
    }

    /**
     * One pipeline (a copy of the orders sample under a name of its own, so that it has its own landing path, dataset
     * folder and latest.json) with the messages its stages sent, delivered by the test. Every delivery builds its
     * stage afresh, as a new invocation on any host would be.
     */
    static final class Chain {
        final String name;
        final Variant variant;
        final PipelineDefinition pipeline;
        final SharedQueue queue = new SharedQueue();
        int next;
        /** In a table variant: the run that committed the table's first version, before the test's messages. */
        RunId base;

        Chain(String name) {
            this(name, Variant.ONE_CHUNK);
        }

        /** The pipeline {@code name}, or, in a variant that cuts, the cut copy of it named with the variant's prefix. */
        Chain(String name, Variant variant) {
            this.name = variant.prefix + name;
            this.variant = variant;
            this.pipeline = DefinitionReader.read(this.name + ".json", variant.definition(this.name), this.name)
                    .definition().orElseThrow();
        }

        FileDropStage fileDrop() {
            return new FileDropStage(() -> PipelineCatalog.of(List.of(pipeline)),
                    new RunStarter(new RunStore(blobs), queue, Clock.systemUTC()), blobs);
        }

        /** Uploads {@code file} as a drop on this pipeline's path; returns its name in the landing container. */
        String upload(Path file, String as) {
            clients.blobs().getBlobContainerClient(RunLayout.LANDING).createIfNotExists();
            String landed = name + "/" + as;
            blobs.upload(RunLayout.LANDING, landed, file);
            return landed;
        }

        /** The run id the drop of the current version of {@code landed} gets. */
        RunId runId(String landed) {
            BlobInfo info = blobs.properties(RunLayout.LANDING, landed).orElseThrow();
            return RunId.forDrop(name, new BlobRef(RunLayout.LANDING, landed, info.etag()), info.lastModified());
        }

        /** The blob trigger fires once for the current version of {@code landed}. */
        void fireDrop(String landed) {
            FileDropStage.Outcome outcome = fileDrop().drop(landed, Optional.empty());
            assertEquals(List.of(runId(landed)), outcome.runs().stream().map(RunStarter.Started::runId).toList(),
                    outcome.explanation());
        }

        /** Drops {@code file} and fires the trigger once; returns the run id. */
        RunId drop(Path file, String as) {
            String landed = upload(file, as);
            fireDrop(landed);
            return runId(landed);
        }

        /** The run each version of this pipeline's table holds, by version. */
        Map<Long, RunId> tableVersions() {
            return RunVersions.of(tableLog(name), name);
        }

        /** The ids of this pipeline's runs. */
        List<RunId> runIds() {
            return history.runs().stream().filter(r -> r.pipeline().equals(name)).map(RunRecord::runId).sorted().toList();
        }

        void deliver(StageMessage message) {
            deliver(message, blobs, queue);
        }

        /** One invocation of the stage {@code message} is for, through {@code through} and {@code to}. */
        void deliver(StageMessage message, BlobStore through, StageQueue to) {
            RunStore runs = new RunStore(through);
            if (message instanceof ExtractMessage m) {
                new ExtractStage(runs, to, new SchemaProbe(EngineLimits.DEFAULT),
                        SourceFetch.standard(runs, n -> Optional.empty(), work), work, Clock.systemUTC()).handle(m, false);
            } else if (message instanceof TransformMessage m) {
                new TransformStage(runs, to, new ChunkTransformer(EngineLimits.DEFAULT), work, Clock.systemUTC())
                        .handle(m, false);
            } else if (message instanceof CombineMessage m) {
                new CombineStage(runs, to, new ChunkTransformer(EngineLimits.DEFAULT), work, Clock.systemUTC())
                        .handle(m, false);
            } else if (message instanceof StoreMessage m) {
                new StoreStage(runs, Clock.systemUTC()).handle(m, false);
            } else {
                throw new AssertionError("unexpected message " + message);
            }
            assertCommitRule(message.runId());
        }

        /** Delivers the messages sent so far in order, each once, until one of {@code type}; returns that one, not delivered. */
        StageMessage deliverUntil(Class<? extends StageMessage> type, RunId runId) {
            return deliverUntil(type, Pick.FIRST, runId);
        }

        /**
         * Delivers the messages sent so far in order, each once, until the one of {@code type} that {@code pick} names
         * among those sent (the messages of one stage are sent together); returns that one, not delivered.
         */
        StageMessage deliverUntil(Class<? extends StageMessage> type, Pick pick, RunId runId) {
            while (next < queue.sent.size()) {
                StageMessage message = queue.sent.get(next++);
                if (type.isInstance(message)) {
                    assertEquals(runId, message.runId());
                    List<StageMessage> ofType = queue.sent.stream()
                            .filter(m -> type.isInstance(m) && m.runId().equals(runId)).toList();
                    if (ofType.indexOf(message) == pick.index(ofType.size())) {
                        return message;
                    }
                }
                deliver(message);
            }
            throw new AssertionError("no " + pick + " " + type.getSimpleName() + " was sent: " + queue.sent);
        }

        /** Delivers every message not delivered yet, each once, in the order sent, until none is left. */
        void deliverRest() {
            while (next < queue.sent.size()) {
                deliver(queue.sent.get(next++));
            }
        }

        /**
         * Runs {@code delivery} twice: one after the other, or in two threads released at the same moment. Both must
         * succeed: a duplicate is no reason for an invocation to fail.
         */
        void twice(Runnable delivery, boolean concurrent, RunId runId) throws Exception {
            if (!concurrent) {
                delivery.run();
                assertCommitRule(runId);
                delivery.run();
                return;
            }
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<?>> both = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                both.add(threads.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    delivery.run();
                    return null;
                }));
            }
            for (Future<?> attempt : both) {
                attempt.get(60, TimeUnit.SECONDS);
            }
        }

        /** After any delivery: a run without a manifest is seen by no consumer; latest.json names a manifest that exists. */
        void assertCommitRule(RunId runId) {
            Optional<LatestPointer> latest = history.latest(name);
            latest.ifPresent(l -> assertTrue(blobs.properties(RunLayout.TRAINING, l.manifest()).isPresent(),
                    "latest.json names " + l.manifest() + ", which does not exist"));
            if (variant.table()) {
                Map<Long, RunId> versions = tableVersions();
                assertTrue(java.util.Collections.frequency(versions.values(), runId) <= 1, "the run is in more than "
                        + "one version: " + versions);
            }
            if (blobs.properties(RunLayout.TRAINING, RunLayout.manifest(name, runId)).isEmpty()) {
                assertFalse(latest.map(l -> l.runId().equals(runId)).orElse(false), "latest.json moved before the commit");
                assertFalse(committedRuns(name).contains(runId));
                assertTrue(history.status(runId).flatMap(RunHistory.RunStatus::outcome)
                        .map(o -> o.status() != RunState.COMMITTED).orElse(true), "committed without a manifest");
            }
        }
    }
}
