package io.tributary.stage;

import io.tributary.run.RunId;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.StageQueue;
import io.tributary.run.ExtractMessage;
import io.tributary.run.RunLayout;
import java.time.Duration;
import java.util.Optional;

/**
 * Extract behind the pipeline's concurrency limit: a run that may not go on yet puts its message back on the queue,
 * to be seen again after {@code recheck}, and does nothing else; the others go to {@link ExtractStage}.
 */
public final class GatedExtract {

    private final ExtractStage extract;
    private final ConcurrencyGate gate;
    private final RunStore runs;
    private final StageQueue queue;
    private final Duration recheck;

    public GatedExtract(ExtractStage extract, ConcurrencyGate gate, RunStore runs, StageQueue queue, Duration recheck) {
        this.extract = extract;
        this.gate = gate;
        this.runs = runs;
        this.queue = queue;
        this.recheck = recheck;
    }

    /**
     * Plans the run, or holds it while its pipeline's {@code concurrency} earlier runs are going.
     *
     * @return whether the run went on (false: it is held, its message sent again with a delay)
     */
    public boolean handle(ExtractMessage message, boolean lastAttempt) {
        RunId runId = message.runId();
        PipelineDefinition definition = runs.definition(runId);
        int concurrency = definition.concurrency();
        if (concurrency != PipelineDefinition.UNLIMITED && runs.outcome(runId).isEmpty()
                && !gate.admit(message.pipeline(), runId, concurrency)) {
            queue.send(RunLayout.EXTRACT_QUEUE, message, recheck);
            return false;
        }
        extract.handle(message, Optional.of(definition), lastAttempt);
        return true;
    }
}
