package io.tributary.cli;

import io.tributary.run.SourceSchema;
import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.BlobRef;
import io.tributary.run.FetchRecord;
import io.tributary.run.Manifest;
import io.tributary.run.PrintableText;
import io.tributary.run.RunLayout;
import io.tributary.run.StageReport;
import io.tributary.history.RunHistory.RunStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Prints a run's status for people (tools read {@code status --json}, {@link io.tributary.history.RunJson}). Names,
 * messages and values in it come from definitions and data: each line prints their control characters escaped
 * ({@link PrintableText}), so a line is one line and the terminal takes no orders from the data.
 */
final class StatusPrinter {

    private StatusPrinter() {
    }

    static void text(RunStatus status, PrintStream out) {
        var record = status.record();
        println(out, "Run " + record.runId() + " of pipeline " + record.pipeline() + " (" + record.trigger() + ", "
                + (record.source() == null ? "fetched source" : "source " + record.source().container() + "/"
                + record.source().name()) + ")");
        if (record.rerunOf() != null) {
            println(out, "  rerun of " + record.rerunOf() + ", from the start");
        }
        if (!record.parameters().isEmpty()) {
            println(out, "  parameters: " + record.parameters().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        }
        stageTable(status).lines("  ").forEach(line -> println(out, line));
        for (StageReport stage : status.stages()) {
            if (stage.error() != null) {
                println(out, "  error in " + name(stage) + ": " + stage.error());
            }
        }
        status.outcome().ifPresentOrElse(outcome -> {
            Duration total = Duration.between(record.startedAt(), outcome.at());
            println(out, "  " + outcome.status() + " at " + outcome.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                    + ", " + seconds(total) + " after the start"
                    + (outcome.stage() == null ? "" : ", in " + outcome.place())
                    + (outcome.error() == null ? "" : ": " + outcome.error()));
        }, () -> println(out, "  in flight"));
        status.manifest().ifPresent(manifest -> printDataset(manifest, out));
    }

    /** The run's stages, chunks and key buckets as a table: status, time, rows in, out and rejected. */
    static TextTable stageTable(RunStatus status) {
        TextTable table = new TextTable("stage", "status", ">time", ">rows in", ">rows out", ">rejected");
        for (StageReport stage : status.stages()) {
            boolean counts = stage.stage() != Stage.EXTRACT && stage.status() == StageStatus.SUCCEEDED;
            table.add(name(stage), stage.status(), seconds(stage.duration()), counts ? stage.rowsIn() : null,
                    counts ? stage.rowsOut() : null, counts ? stage.rowsRejected() : null);
        }
        return table;
    }

    /** {@code extract}, {@code transform 2}, {@code combine 0}. */
    private static String name(StageReport stage) {
        return stage.chunk() < 0 ? stage.stage().text() : stage.stage() + " " + stage.chunk();
    }

    static void printDataset(Manifest manifest, PrintStream out) {
        String folder = RunLayout.TRAINING + "/" + RunLayout.datasetFolder(manifest.pipeline(), manifest.runId());
        String splits = manifest.splits().size() < 2 ? "" : manifest.splits().entrySet().stream()
                .map(e -> e.getKey() + " " + TextTable.number(e.getValue())).collect(Collectors.joining(", ", " (", ")"));
        println(out, "Dataset " + folder + " — " + TextTable.number(manifest.rows().out()) + " rows" + splits + ", "
                + manifest.schema().size() + " columns");
        if (manifest.table() != null) {
            println(out, "  committed as " + TableLines.committed(manifest.table()));
        }
        printInputs(manifest, out);
        for (var expectation : manifest.expectations()) {
            println(out, "  expectation " + expectation.name() + ": " + (expectation.failed() == 0 ? "passed"
                    : (expectation.observed() != null ? "failed (" + TextTable.number(expectation.observed()) + " rows)"
                    : TextTable.number(expectation.failed()) + " row" + (expectation.failed() == 1 ? "" : "s")
                    + " failed"))
                    + (expectation.failed() == 0 ? "" : ", " + switch (expectation.onFailure()) {
                        case "drop" -> "dropped into the rejects";
                        case "warn" -> "warned";
                        default -> "failed the run";
                    }));
        }
        // A table's files are in the table's folder, the run's own (MLTables, rejects, manifest) in the run's.
        String files = manifest.table() == null ? folder : manifest.table().path();
        for (Manifest.DataFile file : manifest.files()) {
            println(out, "  " + files + file.path() + "  (" + TextTable.number(file.rows())
                    + (file.rows() == 1 ? " row, " : " rows, ") + TextTable.number(file.bytes()) + " bytes)");
        }
        for (String mlTable : manifest.mlTables()) {
            println(out, "  " + folder + mlTable + "  (register the split in Azure Machine Learning"
                    + (manifest.table() == null ? ")" : "; it reads the table at version " + manifest.table().version()
                    + ")"));
        }
        for (String rejects : manifest.rejects()) {
            println(out, "  " + folder + rejects + "  (" + TextTable.number(manifest.rows().rejected())
                    + " rejected rows, with line and reason)");
        }
        println(out, "  " + folder + RunLayout.MANIFEST);
    }

    /** The columns the run read, when it did not simply read the declared ones, and the references it joined. */
    private static void printInputs(Manifest manifest, PrintStream out) {
        SourceSchema read = manifest.sourceSchema();
        if (read != null && read.origin().equals("inferred")) {
            println(out, "  columns inferred from the input: " + read.columns().stream()
                    .map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", ")));
        }
        if (read != null && !read.added().isEmpty()) {
            println(out, "  schema drift: added " + String.join(", ", read.added()) + " (evolve)");
        }
        if (read != null && !read.ignored().isEmpty()) {
            println(out, "  schema drift: ignored " + String.join(", ", read.ignored()) + " (ignore)");
        }
        for (BlobRef reference : manifest.references()) {
            println(out, "  lookup reference " + reference);
        }
        FetchRecord fetched = manifest.fetched();
        if (fetched != null) {
            println(out, "  fetched " + fetched.records() + " record" + (fetched.records() == 1 ? "" : "s") + " from "
                    + (fetched.kind().equals("rest") ? "the REST API" : "the database") + " in "
                    + fetched.requests().size() + (fetched.kind().equals("rest") ? " request" : " query")
                    + (fetched.requests().size() == 1 ? "" : "s"));
            fetched.requests().stream().limit(3).forEach(r -> println(out, "    " + r.replaceAll("\\s+", " ")));
            if (fetched.requests().size() > 3) {
                println(out, "    … " + (fetched.requests().size() - 3) + " more in the manifest");
            }
            FetchRecord.WatermarkRange range = fetched.watermark();
            if (range != null) {
                println(out, "  incremental on " + range.cursor() + ": after " + (range.low() == null
                        ? "the start" : range.low()) + " up to " + (range.high() == null ? "(nothing yet)" : range.high())
                        + (range.fullRefresh() ? " (full refresh)" : ""));
            }
        }
    }

    /** One line, its control characters escaped. */
    private static void println(PrintStream out, String line) {
        out.println(PrintableText.escape(line));
    }

    private static String seconds(Duration d) {
        return d == null ? "" : String.format("%.2f s", d.toMillis() / 1000.0);
    }
}
