package io.tributary.run;

import io.tributary.definition.output.SplitName;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The commit record of a dataset, {@code _manifest.json}. It is written last: a dataset exists for
 * its consumers exactly when its manifest does.
 *
 * @param splits  rows per split (one split, {@code data}, when the definition declares none)
 * @param statistics per-column statistics of the dataset: rows, nulls, min, max, mean, distinct estimate
 * @param expectations how each expectation fared, over the whole run
 * @param files   the Parquet parts, relative to the run's folder
 * @param mlTables the {@code MLTable} file of each split that has rows, relative to the run's folder
 * @param rejects the rejects files, relative to the run's folder
 * @param references the lookup references the run joined, each at the version it read
 * @param sourceSchema the columns the run read: declared or inferred, and what the drift policy did
 * @param fetched what extract asked of the API or database the run read, and its incremental range; null for a file
 * @param appVersion the version of Tributary that committed the run
 * @param parents the committed datasets of other pipelines the run read (a {@code dataset} trigger), with the parts
 * @param table   the table version the run committed, for a pipeline whose output is a table (null otherwise); its
 *                {@code files} are then the data files that version added, relative to the table's folder
 */
public record Manifest(int manifestVersion, String pipeline, RunId runId, String definitionHash, BlobRef source,
                       Instant committedAt, Rows rows, Map<SplitName, Long> splits, List<OutputColumn> schema,
                       List<ColumnStatistics> statistics, List<ExpectationResult> expectations, List<DataFile> files, List<String> mlTables,
                       List<String> rejects, List<BlobRef> references, SourceSchema sourceSchema,
                       FetchRecord fetched, String appVersion, List<Parent> parents,
                       @com.fasterxml.jackson.annotation.JsonInclude(
                               com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) TableVersion table) {

    public static final int VERSION = 1;

    /** A manifest without lineage beyond its sources: no app version known, no parent datasets. */
    public Manifest(int manifestVersion, String pipeline, RunId runId, String definitionHash, BlobRef source,
                    Instant committedAt, Rows rows, Map<SplitName, Long> splits, List<OutputColumn> schema,
                    List<ColumnStatistics> statistics, List<ExpectationResult> expectations, List<DataFile> files,
                    List<String> mlTables, List<String> rejects, List<BlobRef> references, SourceSchema sourceSchema,
                    FetchRecord fetched) {
        this(manifestVersion, pipeline, runId, definitionHash, source, committedAt, rows, splits, schema, statistics,
                expectations, files, mlTables, rejects, references, sourceSchema, fetched, null, List.of(), null);
    }

    /** This manifest, naming the app version that commits it and the parent datasets its run read. */
    public Manifest withLineage(String appVersion, List<Parent> parents) {
        return new Manifest(manifestVersion, pipeline, runId, definitionHash, source, committedAt, rows, splits, schema,
                statistics, expectations, files, mlTables, rejects, references, sourceSchema, fetched, appVersion,
                parents, table);
    }

    /** This manifest, naming the table version its run committed and the data files that version added. */
    public Manifest withTable(TableVersion table, List<DataFile> added, List<String> mlTables) {
        return new Manifest(manifestVersion, pipeline, runId, definitionHash, source, committedAt, rows, splits, schema,
                statistics, expectations, added, mlTables, rejects, references, sourceSchema, fetched, appVersion,
                parents, table);
    }

    /**
     * The version of the pipeline's Delta table a run committed.
     *
     * @param path         the table's folder, {@code training/{pipeline}/table/}
     * @param mode         {@code append}, {@code merge} or {@code overwrite}
     * @param rowsAdded    rows in the files the version added
     * @param rowsRemoved  rows in the files the version removed (a merge's rewritten files, an overwrite's table)
     */
    public record TableVersion(String path, long version, String mode, int filesAdded, int filesRemoved,
                               long rowsAdded, long rowsRemoved) {
    }

    /**
     * A committed dataset of another pipeline that the run read.
     *
     * @param manifest the parent's {@code _manifest.json}, at the version read
     * @param files    the parent's Parquet parts the run read, each at the version read
     */
    public record Parent(String pipeline, RunId runId, BlobRef manifest, List<BlobRef> files) {
        public Parent {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    public Manifest {
        parents = parents == null ? List.of() : List.copyOf(parents);
        splits = splits == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(splits));
        expectations = expectations == null ? List.of() : List.copyOf(expectations);
        statistics = statistics == null ? List.of() : List.copyOf(statistics);
        schema = List.copyOf(schema);
        files = List.copyOf(files);
        rejects = List.copyOf(rejects);
        mlTables = mlTables == null ? List.of() : List.copyOf(mlTables);
        references = references == null ? List.of() : List.copyOf(references);
    }

    /** Row counts of a run: read from the source, written to the dataset, and rejected. */
    public record Rows(long in, long out, long rejected) {
    }

    /** One Parquet part of the dataset. */
    public record DataFile(String path, SplitName split, long rows, long bytes) {
    }
}
