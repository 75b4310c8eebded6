package io.tributary.testing;

import io.tributary.run.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.SchemaProbe;
import io.tributary.run.BlobRef;
import io.tributary.run.CombineMessage;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunOutcome;
import io.tributary.run.StageMessage;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.stage.Alerts;
import io.tributary.port.BlobStore;
import io.tributary.stage.CombineStage;
import io.tributary.stage.ExtractStage;
import io.tributary.history.RunHistory;
import io.tributary.start.RunStarter;
import io.tributary.stage.RunStore;
import io.tributary.stage.SourceFetch;
import io.tributary.port.StageQueue;
import io.tributary.stage.StoreStage;
import io.tributary.stage.TransformStage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The real stages of one pipeline's runs on a blob store (Azurite, in the ITs), with a queue that records hand-offs
 * for the test to deliver: start a run, then deliver its messages one by one, or all of them until it ends.
 */
public record RunStages(PipelineDefinition pipeline, RunStore runs, RecordingQueue queue, ExtractStage extract,
                        TransformStage transform, CombineStage combine, StoreStage store) {

    /** Records hand-offs, for the test to deliver. */
    public static final class RecordingQueue implements StageQueue {
        private final List<StageMessage> sent = new ArrayList<>();

        @Override
        public void send(String queue, StageMessage message) {
            sent.add(message);
        }

        /** Everything sent so far, in order. */
        public List<StageMessage> sent() {
            return sent;
        }

        /** The last message of {@code type} sent. */
        public <T extends StageMessage> T last(Class<T> type) {
            for (int i = sent.size() - 1; i >= 0; i--) {
                if (type.isInstance(sent.get(i))) {
                    return type.cast(sent.get(i));
                }
            }
            throw new AssertionError("no " + type.getSimpleName() + " was sent: " + sent);
        }
    }

    /**
     * The stages of {@code pipeline}'s runs on {@code blobs}, with their work dirs under {@code dir}.
     *
     * @param settings the app settings by name, for {@code %NAME%} references
     */
    public static RunStages on(BlobStore blobs, Path dir, PipelineDefinition pipeline,
                               Function<String, Optional<String>> settings) {
        return on(blobs, dir, pipeline, settings, Alerts.OFF);
    }

    /** As {@link #on(BlobStore, Path, PipelineDefinition, Function)}, raising alerts with {@code alerts}. */
    public static RunStages on(BlobStore blobs, Path dir, PipelineDefinition pipeline,
                               Function<String, Optional<String>> settings, Alerts alerts) {
        return on(new RunStore(blobs, alerts), dir, pipeline, settings);
    }

    /** As {@link #on(BlobStore, Path, PipelineDefinition, Function)}, over {@code runs} (with its run history). */
    public static RunStages on(RunStore runs, Path dir, PipelineDefinition pipeline,
                               Function<String, Optional<String>> settings) {
        return on(runs, dir, pipeline, settings, EngineLimits.DEFAULT);
    }

    /** As {@link #on(RunStore, Path, PipelineDefinition, Function)}, the engine within {@code limits}. */
    public static RunStages on(RunStore runs, Path dir, PipelineDefinition pipeline,
                               Function<String, Optional<String>> settings, EngineLimits limits) {
        return on(runs, dir, pipeline, settings, limits, Clock.systemUTC());
    }

    /**
     * As {@link #on(RunStore, Path, PipelineDefinition, Function, EngineLimits)}, the stages working at the time
     * {@code clock} says: the time their reports, manifests and table commits record.
     */
    public static RunStages on(RunStore runs, Path dir, PipelineDefinition pipeline,
                               Function<String, Optional<String>> settings, EngineLimits limits, Clock clock) {
        RecordingQueue queue = new RecordingQueue();
        Path work = dir.resolve("work");
        return new RunStages(pipeline, runs, queue, new ExtractStage(runs, queue,
                new SchemaProbe(limits), SourceFetch.standard(runs, settings, work), work, clock),
                new TransformStage(runs, queue, new ChunkTransformer(limits), work, clock),
                new CombineStage(runs, queue, new ChunkTransformer(limits), work, clock),
                new StoreStage(runs, clock, name -> List.of(), io.tributary.stage.DownstreamRuns.NONE,
                        io.tributary.table.RunTables.standard(runs.blobs(), clock, work.resolve("tables"), limits)));
    }

    /** Starts a manual run that fetches the pipeline's source; returns its id. */
    public RunId start(Map<String, String> parameters) {
        return start(null, parameters);
    }

    /** Starts a manual run over {@code source} (null: the run fetches its source); returns its id. */
    public RunId start(BlobRef source, Map<String, String> parameters) {
        RunId runId = RunId.forRequest(pipeline.name(), UUID.randomUUID().toString(), Instant.now());
        new RunStarter(runs, queue, Clock.systemUTC()).start(pipeline, runId, source, "manual", parameters);
        return runId;
    }

    /** Delivers the run's last extract message once, as attempt {@code lastAttempt} says. */
    public void extract(RunId runId, boolean lastAttempt) {
        extract.handle(message(ExtractMessage.class, runId), lastAttempt);
    }

    /**
     * Delivers the run's messages in the order they were sent, each as the host's last attempt, until none is left;
     * returns how the run ended.
     */
    public RunOutcome runToEnd(RunId runId) {
        for (int i = 0; i < queue.sent().size(); i++) {
            StageMessage message = queue.sent().get(i);
            if (!message.runId().equals(runId)) {
                continue;
            }
            if (message instanceof ExtractMessage m) {
                extract.handle(m, true);
            } else if (message instanceof TransformMessage m) {
                transform.handle(m, true);
            } else if (message instanceof CombineMessage m) {
                combine.handle(m, true);
            } else if (message instanceof StoreMessage m) {
                store.handle(m, true);
            }
        }
        return runs.outcome(runId).orElseThrow(() -> new AssertionError("run " + runId + " has no outcome after "
                + "all its messages were delivered: " + queue.sent()));
    }

    /** Delivers the run's messages in order until it commits; returns its manifest. */
    public Manifest commit(RunId runId) {
        extract.handle(queue.last(ExtractMessage.class), false);
        transform.handle(queue.last(TransformMessage.class), false);
        store.handle(queue.last(StoreMessage.class), false);
        assertEquals(RunState.COMMITTED, runs.outcome(runId).orElseThrow().status(),
                () -> "run " + runId + ": " + runs.outcome(runId));
        return new RunHistory(runs).manifest(pipeline.name(), runId).orElseThrow();
    }

    private <T extends StageMessage> T message(Class<T> type, RunId runId) {
        for (int i = queue.sent().size() - 1; i >= 0; i--) {
            StageMessage m = queue.sent().get(i);
            if (type.isInstance(m) && m.runId().equals(runId)) {
                return type.cast(m);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " was sent for run " + runId + ": " + queue.sent());
    }
}
