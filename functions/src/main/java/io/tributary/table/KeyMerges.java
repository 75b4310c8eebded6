package io.tributary.table;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.output.TableOutput;
import io.tributary.engine.ChunkOutput;
import io.tributary.engine.KeyMerge;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.Manifest;
import io.tributary.run.OutputColumn;
import io.tributary.run.RunLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Merges by copy-on-write: the table files whose key range holds one of the run's keys are read, those that do hold
 * one are removed, and files holding their other rows, the keys' winning rows and the run's new keys are added. A
 * run's cost follows the files its keys fall in, not the table's size.
 */
public final class KeyMerges implements TableMerges {

    /** The tag of an added file that holds its first key column's smallest value, as text. */
    public static final String KEY_MIN = "tributary.keyMin";
    /** The tag of an added file that holds its first key column's largest value, as text. */
    public static final String KEY_MAX = "tributary.keyMax";

    private final BlobStore blobs;
    private final KeyMerge engine;
    private final Path workRoot;

    public KeyMerges(BlobStore blobs, KeyMerge engine, Path workRoot) {
        this.blobs = blobs;
        this.engine = engine;
        this.workRoot = workRoot;
    }

    @Override
    public Change change(PipelineDefinition definition, TableShape shape, RunInfo run, Manifest manifest, long now) {
        return new Merge(definition, shape, run, manifest, now);
    }

    private final class Merge implements Change {

        private final PipelineDefinition definition;
        private final TableShape shape;
        private final RunInfo run;
        private final Manifest manifest;
        private final long now;
        private final Path work;
        private List<Path> incoming;
        private KeyMerge.Merged merged;
        private int attempt;

        Merge(PipelineDefinition definition, TableShape shape, RunInfo run, Manifest manifest, long now) {
            this.definition = definition;
            this.shape = shape;
            this.run = run;
            this.manifest = manifest;
            this.now = now;
            this.work = WorkFolder.create(workRoot, "merge-");
        }

        @Override
        public List<Action> plan(Optional<Snapshot> current) {
            List<Action> actions = new ArrayList<>(Shapes.change(shape, current, false, now));
            // Each planning works in a folder of its own, the engine's only one: the run's parts are linked into it.
            Path round = folder("round-" + attempt++);
            if (incoming == null) {
                incoming = downloadIncoming(folder("incoming"));
            }
            List<Path> runParts = linked(incoming, round);
            Map<String, Action.AddFile> files = current.map(Snapshot::files).orElse(Map.of());
            List<KeyMerge.KeyRange> ranges = files.values().stream().map(f -> new KeyMerge.KeyRange(f.path(),
                    tag(f, KEY_MIN), tag(f, KEY_MAX))).toList();
            List<String> candidates = runParts.isEmpty() ? List.of()
                    : engine.candidates(definition, runParts, ranges, round);
            Map<Path, String> local = new LinkedHashMap<>();
            for (int i = 0; i < candidates.size(); i++) {
                String path = candidates.get(i);
                Path file = round.resolve("table-" + i + ".parquet");
                String name = RunLayout.table(run.pipeline()) + DataPaths.decode(path);
                BlobRef blob = blobs.current(RunLayout.TRAINING + "/" + name).orElseThrow(() -> new IllegalStateException(
                        "data file " + RunLayout.TRAINING + "/" + name + " of version " + current.get().version()
                                + " is gone: something other than Tributary deleted it"));
                blobs.download(blob, file);
                local.put(file, path);
            }
            List<String> columns = manifest.schema().stream().map(OutputColumn::name).toList();
            merged = runParts.isEmpty() ? null : engine.merge(definition, columns, runParts, local, round);
            if (merged == null) {
                return actions;
            }
            for (String path : merged.touched()) {
                actions.add(Action.of(Shapes.remove(files.get(path), now)));
            }
            String token = UUID.randomUUID().toString().substring(0, 8);
            Map<String, Integer> perFolder = new HashMap<>();
            for (ChunkOutput.Part part : merged.parts()) {
                int n = perFolder.merge(part.split() + "/" + part.partition(), 1, Integer::sum) - 1;
                String blob = RunLayout.tablePart(run.pipeline(), manifest.runId(),
                        definition.split().isPresent() ? part.split() : null, part.partition(), "m" + token, n,
                        ".parquet");
                long bytes = blobs.upload(RunLayout.TRAINING, blob, part.file());
                KeyMerge.KeyRange range = merged.ranges().get(part.file());
                Map<String, String> tags = new LinkedHashMap<>();
                tags.put(KEY_MIN, range.min());
                tags.put(KEY_MAX, range.max());
                TableFile file = new TableFile(blob.substring(RunLayout.table(run.pipeline()).length()), part.rows(),
                        bytes, tags);
                actions.add(Action.of(file.add(shape.partitionColumns(), now)));
            }
            return actions;
        }

        @Override
        public Map<String, Object> commitInfo(List<Action> planned) {
            TableOutput table = shape.table();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("operation", "MERGE");
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("keys", LogJson.text(table.keys()));
            parameters.put("orderBy", table.orderBy());
            table.deleteCondition().ifPresent(c -> parameters.put("deleteWhen", c));
            info.put("operationParameters", parameters);
            Map<String, String> metrics = new LinkedHashMap<>(Shapes.metrics(planned));
            if (merged != null) {
                metrics.put("numTargetRowsInserted", Long.toString(merged.inserted()));
                metrics.put("numTargetRowsUpdated", Long.toString(merged.updated()));
                metrics.put("numTargetRowsDeleted", Long.toString(merged.deleted()));
                metrics.put("numTargetRowsCopied", Long.toString(merged.copied()));
            }
            info.put("operationMetrics", metrics);
            info.put("isBlindAppend", false);
            info.putAll(run.commitInfo());
            return info;
        }

        /** The run's staged parts, downloaded. */
        private List<Path> downloadIncoming(Path folder) {
            List<Path> files = new ArrayList<>();
            String runFolder = RunLayout.datasetFolder(run.pipeline(), manifest.runId());
            for (Manifest.DataFile f : manifest.files()) {
                String name = runFolder + f.path();
                BlobRef blob = blobs.current(RunLayout.TRAINING + "/" + name).orElseThrow(() -> new IllegalStateException(
                        "the run's part " + RunLayout.TRAINING + "/" + name + " is gone before its merge"));
                Path file = folder.resolve("part-" + files.size() + ".parquet");
                blobs.download(blob, file);
                files.add(file);
            }
            return files;
        }

        /** {@code files}, linked (or, where links are not possible, copied) into {@code folder}. */
        private List<Path> linked(List<Path> files, Path folder) {
            List<Path> linked = new ArrayList<>();
            try {
                for (Path file : files) {
                    Path link = folder.resolve("run-" + file.getFileName());
                    try {
                        Files.createLink(link, file);
                    } catch (UnsupportedOperationException | IOException e) {
                        Files.copy(file, link);
                    }
                    linked.add(link);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return linked;
        }

        private Path folder(String name) {
            try {
                return Files.createDirectories(work.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            WorkFolder.delete(work);
        }
    }

    private static String tag(Action.AddFile file, String name) {
        return file.tags() == null ? null : file.tags().get(name);
    }
}
