package io.tributary.table;

import io.tributary.definition.PipelineDefinition;
import io.tributary.run.Manifest;

/** Plans a run's merge into its table: which files hold the run's keys, and what replaces them. */
public interface TableMerges {

    /**
     * The change that upserts the rows of the run {@code manifest} describes (its files staged in the run's folder)
     * into the table.
     */
    Change change(PipelineDefinition definition, TableShape shape, RunInfo run, Manifest manifest, long now);

    /** A merge's change, holding the files it downloaded and wrote until it is closed. */
    interface Change extends TableCommits.Change, AutoCloseable {
        @Override
        void close();
    }
}
