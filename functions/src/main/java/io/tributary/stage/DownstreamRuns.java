package io.tributary.stage;

import io.tributary.run.Manifest;

/**
 * What follows a commit: the runs of the pipelines that consume the committed dataset. Called by the store stage
 * after {@code latest.json} moved, on every delivery of the run's store message, so it must find the runs it
 * started before rather than start them again.
 */
@FunctionalInterface
public interface DownstreamRuns {

    /** No pipeline consumes the datasets: nothing follows a commit. */
    DownstreamRuns NONE = committed -> { };

    /** Starts, or finds started, a run of every pipeline that consumes {@code committed}. */
    void committed(Manifest committed);
}
