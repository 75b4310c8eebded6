package io.tributary.bench;

import io.tributary.definition.output.SplitName;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs the bench commits to one of its tables itself, as the store stage hands them to {@code RunTables}: each
 * with a run id of its own and the manifest of its parts.
 */
final class TableRuns {

    private final BenchTables table;
    private int started;

    TableRuns(BenchTables table) {
        this.table = table;
    }

    /** The id of a new run, named after {@code what} it does. */
    RunId next(String what) {
        return RunId.forRequest(table.pipeline(), "bench-" + what + "-" + ++started, Instant.now());
    }

    /**
     * The manifest the store stage commits run {@code runId} with: its parts, relative to the table's folder for an
     * append, to the run's folder for a merge.
     */
    Manifest manifest(RunId runId, List<Manifest.DataFile> parts) {
        Map<SplitName, Long> splits = new LinkedHashMap<>();
        parts.forEach(p -> splits.merge(p.split(), p.rows(), Long::sum));
        long rows = parts.stream().mapToLong(Manifest.DataFile::rows).sum();
        return new Manifest(Manifest.VERSION, table.pipeline(), runId, table.definition().hash(), null, Instant.now(),
                new Manifest.Rows(rows, rows, 0), splits, table.schema(), null, null, parts, null, List.of(), null,
                null, null).withLineage("bench", List.of());
    }
}
