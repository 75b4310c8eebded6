package io.tributary.bench;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.read.Problem;
import io.tributary.run.OutputColumn;
import java.util.List;

/**
 * The pipelines whose tables (f) and (g) measure, each a definition as a user writes it: device events appended run
 * by run, and CRM accounts merged by id, split train/test by id.
 */
enum BenchTables {

    EVENTS("bench-events", """
            {"schemaVersion": 1, "name": "bench-events",
             "trigger": {"type": "fileDrop", "path": "bench/events/*.parquet"},
             "source": {"format": "parquet"},
             "output": {"table": {"mode": "append"}}}""",
            List.of(new OutputColumn("device", "VARCHAR"), new OutputColumn("ts", "TIMESTAMP"),
                    new OutputColumn("value", "DOUBLE"))),

    /**
     * A file is closed once past {@code targetFileSize}, at a row-group boundary: at 1MB each file is one row group
     * (about 123,000 rows), so 10 million rows make about 80 files, the grain a merge rewrites.
     */
    ACCOUNTS("bench-accounts", """
            {"schemaVersion": 1, "name": "bench-accounts",
             "trigger": {"type": "fileDrop", "path": "bench/accounts/*.parquet"},
             "source": {"format": "parquet"},
             "split": {"keys": ["id"], "seed": 7, "fractions": {"train": 0.8, "test": 0.2}},
             "output": {"targetFileSize": "1MB",
                        "table": {"mode": "%s"%s}}}""",
            List.of(new OutputColumn("id", "BIGINT"), new OutputColumn("plan", "VARCHAR"),
                    new OutputColumn("score", "DOUBLE"), new OutputColumn("visits", "INTEGER"),
                    new OutputColumn("updated", "TIMESTAMP")));

    private static final String MERGE = ", \"keys\": [\"id\"], \"orderBy\": \"updated\"";

    private final String pipeline;
    private final String definition;
    private final List<OutputColumn> schema;

    BenchTables(String pipeline, String definition, List<OutputColumn> schema) {
        this.pipeline = pipeline;
        this.definition = definition;
        this.schema = schema;
    }

    String pipeline() {
        return pipeline;
    }

    /** The columns of the pipeline's rows, as the engine types them: the table's columns. */
    List<OutputColumn> schema() {
        return schema;
    }

    /** The definition as its pipeline runs it: {@code append} for events, {@code merge} by id for accounts. */
    PipelineDefinition definition() {
        return read(this == ACCOUNTS ? definition.formatted("merge", MERGE) : definition);
    }

    /**
     * The accounts' definition in {@code append} mode: the same table shape, for loading rows whose files the bench
     * wrote itself (a run of a merge plans its own files).
     */
    PipelineDefinition loading() {
        if (this != ACCOUNTS) {
            throw new IllegalStateException(pipeline + " is loaded by its own runs");
        }
        return read(definition.formatted("append", ""));
    }

    private PipelineDefinition read(String json) {
        DefinitionResult read = DefinitionReader.read(pipeline + ".json", json, pipeline);
        return read.definition().orElseThrow(() -> new IllegalStateException("the bench's " + pipeline
                + " definition does not read: " + read.problems().stream().map(Problem::format).toList()));
    }
}
