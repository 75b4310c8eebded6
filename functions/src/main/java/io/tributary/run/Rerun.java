package io.tributary.run;

import java.time.Instant;

/**
 * A rerun of a failed run ({@code tributary rerun}); written once per failed outcome (create-only), so that asking
 * twice starts one rerun.
 *
 * @param kind    {@value #RESUME} (the same run goes on from what failed, reusing the chunks done) or
 *                {@value #FROM_START} (a new run over the same pinned source and definition, reusing nothing)
 * @param runId   the run that carries on: the failed run itself when resumed, the new run when started over
 * @param at      when the rerun was asked for
 * @param failed  the failed outcome the rerun answers (a resumed run's outcome is cleared; this keeps it)
 */
public record Rerun(String kind, RunId runId, Instant at, RunOutcome failed) {

    public static final String RESUME = "resume";
    public static final String FROM_START = "fromStart";
}
