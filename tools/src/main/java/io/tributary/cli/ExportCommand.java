package io.tributary.cli;

import io.tributary.run.LatestPointer;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.BlobRef;
import io.tributary.history.RunQueries;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.output.TableOutput;
import io.tributary.table.Snapshot;
import io.tributary.table.TableExport;
import io.tributary.table.TableHistory;
import io.tributary.table.TableLog;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code tributary export PIPELINE[/RUN_ID] DIR [--version N | --as-of TIME] [--force]}: downloads into a new or empty
 * folder ({@code --force} empties it first) a committed dataset with its manifest, or, for a pipeline that writes a
 * Delta table, one version of the table as a Delta table of its own: the latest, the one a run committed, version N,
 * or the newest committed at or before TIME.
 */
final class ExportCommand implements Main.Command {

    private static final DateTimeFormatter COMMITTED = DateTimeFormatter.ISO_INSTANT;

    private final Workspace workspace;
    private final PrintStream out;

    ExportCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("force"), Set.of("version", "as-of"));
        if (args.positionals().size() != 2) {
            throw new UsageException("expected PIPELINE[/RUN_ID] DIR");
        }
        String[] target = args.positionals().get(0).split("/", 2);
        Path dir = Path.of(args.positionals().get(1));
        String pipeline = target[0];
        Optional<Long> version = args.option("version").map(HistoryCommand::version);
        Optional<Instant> asOf = args.option("as-of").map(t -> TimeArgument.parse("as-of", t, ZoneOffset.UTC));
        if (version.isPresent() && asOf.isPresent()) {
            throw new UsageException("give --version or --as-of, not both");
        }
        boolean travels = version.isPresent() || asOf.isPresent();
        if (target.length == 2 && travels) {
            throw new UsageException("a run's export is the version it committed; give PIPELINE --version N, or "
                    + "PIPELINE/RUN_ID without --version or --as-of");
        }
        Optional<RunId> runId = Optional.empty();
        if (target.length == 2) {
            if (!RunId.isValid(target[1])) {
                throw new UsageException("'" + target[1] + "' is not a run id");
            }
            runId = Optional.of(RunId.parse(target[1]));
        }
        boolean clear = requireEmptyOrForced(dir, args.flag("force"));
        Session session = Session.read(workspace);
        PipelineCatalog names = workspace.names();
        new RunQueries(session.runs()).requirePipeline(names, pipeline);
        Optional<TableOutput> table = names.find(pipeline).flatMap(d -> d.output().tableOutput());
        TableLog log = session.tables(workspace.workDir().resolve("tables")).log(pipeline);
        Duration retention = table.map(TableOutput::retention).orElse(null);
        if (travels) {
            requireTable(log, pipeline, table);
            Snapshot snapshot = version.isPresent() ? log.at(version.get()) : log.asOf(asOf.get());
            return exportVersion(log, snapshot, dir, clear, retention);
        }
        if (runId.isEmpty() && table.isPresent()) {
            requireTable(log, pipeline, table);
            return exportVersion(log, log.latest().orElseThrow(), dir, clear, retention);
        }
        RunId run = runId.orElseGet(() -> session.history().latest(pipeline).map(LatestPointer::runId).orElseThrow(() ->
                new IllegalArgumentException("pipeline '" + pipeline + "' has no committed dataset yet "
                        + "(no " + RunLayout.TRAINING + "/" + RunLayout.latest(pipeline) + ")")));
        Manifest manifest = session.history().manifest(pipeline, run).orElseThrow(() ->
                new IllegalArgumentException("run " + run + " of '" + pipeline + "' has no committed dataset; "
                        + "'tributary status " + run + "' says why"));
        if (manifest.table() != null) {
            // The run committed a version of the pipeline's table: that version is its dataset.
            return exportVersion(log, log.at(manifest.table().version()), dir, clear, retention);
        }
        if (clear) {
            clearContents(dir);
        }
        return exportRun(session, manifest, dir);
    }

    /** Downloads the dataset of a run that committed a folder of its own, manifest and rejects included. */
    private int exportRun(Session session, Manifest manifest, Path dir) {
        String folder = RunLayout.datasetFolder(manifest.pipeline(), manifest.runId());
        List<String> files = new ArrayList<>();
        manifest.files().forEach(f -> files.add(f.path()));
        files.addAll(manifest.mlTables());
        files.addAll(manifest.rejects());
        files.add(RunLayout.MANIFEST);
        long total = manifest.files().stream().mapToLong(Manifest.DataFile::bytes).sum();
        CopyProgress progress = new CopyProgress(out, System::currentTimeMillis);
        long bytes = 0;
        int done = 0;
        for (String file : files) {
            Path local = dir.resolve(file);
            try {
                Files.createDirectories(local.getParent() == null ? dir : local.getParent());
                long size = session.blobs().properties(RunLayout.TRAINING, folder + file).orElseThrow().size();
                session.blobs().download(new BlobRef(RunLayout.TRAINING, folder + file, null), 0, size, local);
                bytes += size;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            progress.copied(++done, files.size(), bytes, Math.max(total, bytes));
        }
        out.println("Exported " + manifest.pipeline() + "/" + manifest.runId() + " (" + manifest.rows().out()
                + " rows, " + files.size() + " files, " + bytes + " bytes) to " + dir);
        files.forEach(f -> out.println("  " + dir.resolve(f)));
        return 0;
    }

    /** Copies one version of the pipeline's table into {@code dir} as a Delta table of its own. */
    private int exportVersion(TableLog log, Snapshot version, Path dir, boolean clear, Duration retention) {
        TableHistory.Entry entry = new TableHistory(log).entry(version.version());
        if (clear) {
            clearContents(dir);
        }
        TableExport.Exported exported = new TableExport(log).export(version, dir, retention,
                new CopyProgress(out, System::currentTimeMillis));
        out.println("Exported version " + exported.version() + " of table " + log.where() + " (committed "
                + COMMITTED.format(Instant.ofEpochMilli(exported.timestamp()))
                + (entry.runId() == null ? "" : " by run " + entry.runId()) + "; "
                + TextTable.count(exported.rows(), "row") + ", " + TextTable.count(exported.files().size(), "file") + ", " + CopyProgress.size(exported.bytes())
                + ") to " + dir
                + ", a Delta table of its own:");
        out.println("  " + exported.logFile());
        exported.files().forEach(f -> out.println("  " + dir.resolve(f)));
        return 0;
    }

    /** Fails, saying why, when the pipeline's table has no versions. */
    private static void requireTable(TableLog log, String pipeline, Optional<TableOutput> table) {
        if (log.newestVersion().isEmpty()) {
            throw new IllegalArgumentException(table.isEmpty()
                    ? "pipeline '" + pipeline + "' writes no Delta table (its definition has no output.table), so it "
                    + "has no versions to travel to; export a run's dataset with 'tributary export " + pipeline
                    + "[/RUN_ID] DIR'"
                    : "pipeline '" + pipeline + "' has no table versions yet: no run has committed to "
                    + log.where());
        }
    }

    /**
     * Whether {@code dir} must be cleared before the export: an export into a folder that holds files would mix two
     * datasets, so it needs {@code --force}, which empties the folder first.
     *
     * @throws UsageException when {@code dir} is a file, or holds files and {@code force} is not given
     */
    private boolean requireEmptyOrForced(Path dir, boolean force) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException(dir + " is a file, not a folder; name a folder to export into");
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(dir)) {
            empty = entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (empty) {
            return false;
        }
        if (!force) {
            throw new UsageException(dir + " is not empty; export into a new or empty folder, or add --force to "
                    + "delete what it holds first");
        }
        Path absolute = dir.toAbsolutePath().normalize();
        if (workspace.root().startsWith(absolute) || absolute.getParent() == null) {
            throw new UsageException("--force would delete " + absolute + ", which holds the project; export into a "
                    + "folder of its own");
        }
        return true;
    }

    /** Deletes everything inside {@code dir}, keeping the folder itself. */
    private static void clearContents(Path dir) {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
