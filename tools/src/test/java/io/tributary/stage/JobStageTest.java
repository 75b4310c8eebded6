package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.cloud.BearerClient;
import io.tributary.cloud.CallRetry;
import io.tributary.cloud.Loopback;
import io.tributary.databricks.DatabricksJobs;
import io.tributary.databricks.DatabricksTarget;
import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.job.DatabricksWork;
import io.tributary.job.JobPhase;
import io.tributary.job.JobSubmission;
import io.tributary.local.compute.LocalDatabricks;
import io.tributary.local.compute.LocalDatabricks.StateStep;
import io.tributary.local.compute.StandInServer;
import io.tributary.port.JobComputes;
import io.tributary.run.BlobRef;
import io.tributary.run.JobMessage;
import io.tributary.run.JobRecord;
import io.tributary.run.Json;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.RunState;
import io.tributary.run.StorageAddress;
import io.tributary.testing.InMemoryBlobStore;
import io.tributary.testing.InMemoryStageQueue;
import io.tributary.testing.MovableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The job stage over in-memory storage and a Databricks stand-in reached through the real client: each attempt of a
 * step submits one run whatever is delivered twice or lost, each check is claimed once, a job past its timeout is
 * cancelled, and a compute that stops answering fails the step after so many checks.
 */
class JobStageTest {

    private static final Instant NOW = Instant.parse("2026-12-08T04:00:00Z");
    private static final RunId RUN = RunId.parse("20261208T040000Z-0a1b2c3d4e");
    private static final BlobRef SOURCE = new BlobRef("landing", "orders/orders-1.csv", "0x1");
    private static final String DEFINITION = """
            {
              "schemaVersion": 1,
              "name": "orders",
              "trigger": { "type": "fileDrop", "path": "orders/*.csv" },
              "source": { "format": "csv" },
              "job": {
                "databricks": {
                  "notebook": "/Workspace/Shared/clean_orders",
                  "cluster": { "existing": "c1" },
                  "parameters": { "input": "${input.uri}", "output": "${output.uri}" }
                },
                "timeout": "2h"
              }
            }
            """;

    private final MovableClock clock = new MovableClock(NOW);
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    private final InMemoryStageQueue queue = new InMemoryStageQueue();
    private final RunStore runs = new RunStore(blobs);
    /** On the test's clock: a run's start time (the handle's) is the workspace's. */
    private final LocalDatabricks databricks = new LocalDatabricks(0, clock);
    private final DatabricksJobs compute = new DatabricksJobs(new DatabricksTarget(databricks.uri()),
            Loopback.standIn(), BearerClient.http(), new CallRetry(2, Duration.ofSeconds(1), Duration.ofSeconds(2),
            CallRetry.DEFAULT.backoff()), duration -> { }, clock);
    private final JobStage stage = new JobStage(runs, queue, new JobComputes(Map.of("databricks", compute)),
            new StorageAddress("acct", "https://acct.blob.core.windows.net"),
            new JobPolling(Duration.ofSeconds(10), Duration.ofMinutes(5), 3), clock);
    private final String key = JobSteps.key(RUN, "transform", 1);

    JobStageTest() {
        PipelineDefinition definition = DefinitionReader.read("orders.json", DEFINITION, "orders").definition()
                .orElseThrow();
        blobs.put(RunLayout.RUNS, RunLayout.definition(RUN), DEFINITION.getBytes(StandardCharsets.UTF_8));
        blobs.put(RunLayout.RUNS, RunLayout.runRecord(RUN), Json.bytes(new RunRecord(RUN, "orders", "fileDrop", SOURCE,
                definition.hash(), NOW, Map.of())));
    }

    @AfterEach
    void close() {
        databricks.close();
    }

    private static JobMessage submit() {
        return new JobMessage(RUN, "orders", "transform", 1, 0, SOURCE);
    }

    private JobRecord record() {
        return Json.read(blobs.read(RunLayout.RUNS, RunLayout.jobRecord(RUN, "transform", 1)).orElseThrow().content(),
                JobRecord.class);
    }

    private List<JobMessage> checksSent() {
        return queue.sent().stream().filter(s -> s.queue().equals(RunLayout.JOB_QUEUE))
                .map(s -> (JobMessage) s.message()).toList();
    }

    @Test
    void aSubmitDeliveredTwiceStartsOneRunAndARepeatedCheckDropsOut() {
        databricks.play(key, StateStep.running());
        stage.handle(submit(), false);
        stage.handle(submit(), false);

        assertEquals(1, databricks.runs().size(), "one run for the step");
        assertEquals(key, databricks.runs().get(0).idempotencyToken());
        assertEquals("abfss://landing@acct.dfs.core.windows.net/orders/orders-1.csv", databricks.runs().get(0).task()
                .path("notebook_task").path("base_parameters").path("input").asText());
        // The second delivery found the job recorded and made sure of a first check: two of them, one claimed.
        assertEquals(List.of(1, 1), checksSent().stream().map(JobMessage::check).toList());
        stage.handle(submit().next(), false);
        stage.handle(submit().next(), false);
        assertEquals(List.of(1, 1, 2), checksSent().stream().map(JobMessage::check).toList());
        assertEquals(Duration.ofSeconds(20), queue.sent().get(queue.sent().size() - 1).delay(), "twice the first wait");
        assertEquals(1, record().checks());
        assertEquals(JobPhase.RUNNING, record().state().phase());
    }

    @Test
    void aRunThatAnEarlierDeliveryStartedBeforeItDiedIsTheOneRecorded() {
        // The delivery that submitted died before its record: the workspace has the run, the run's folder nothing.
        var started = compute.submit(new JobSubmission(key, "tributary orders/" + RUN + " transform",
                new DatabricksWork(null, new DatabricksWork.Task(DatabricksWork.TaskType.NOTEBOOK,
                        "/Workspace/Shared/clean_orders", null), new DatabricksWork.Cluster("c1", null, false),
                        Map.of(), List.of(), List.of()), Map.of(), Duration.ofHours(2)));

        stage.handle(submit(), false);

        assertEquals(1, databricks.runs().size(), "the redelivery found the run by its key");
        assertEquals(started.id(), record().handle().id());
    }

    @Test
    void aJobPastItsTimeoutIsCancelledAndFailsTheRun() {
        databricks.play(key, StateStep.running());
        stage.handle(submit(), false);
        clock.advance(Duration.ofHours(2).plusSeconds(1));

        stage.handle(submit().next(), false);

        RunOutcome outcome = runs.outcome(RUN).orElseThrow();
        assertEquals(RunState.FAILED, outcome.status());
        assertEquals("the transform job ran longer than its timeout of 2h and was cancelled; see "
                + databricks.uri() + "/#job/900001/run/1001", outcome.error());
        assertEquals(1, databricks.requests().stream().filter(r -> r.path().endsWith("/runs/cancel")).count());
        assertTrue(record().isOver());
        assertEquals(List.of(1), checksSent().stream().map(JobMessage::check).toList(), "no check after the end");
    }

    @Test
    void aComputeThatStopsAnsweringIsAskedAgainThenFailsTheStep() {
        databricks.play(key, StateStep.running());
        stage.handle(submit(), false);
        JobMessage check = submit();
        for (int i = 1; i <= 3; i++) {
            check = check.next();
            databricks.fault(new StandInServer.Fault.Status(503, null), new StandInServer.Fault.Status(503, null));
            stage.handle(check, false);
        }

        RunOutcome outcome = runs.outcome(RUN).orElseThrow();
        assertEquals(RunState.FAILED, outcome.status());
        assertTrue(outcome.error().startsWith("could not check the transform job: unavailable: "), outcome.error());
        assertEquals(3, record().unanswered());
        assertEquals(List.of(1, 2, 3), checksSent().stream().map(JobMessage::check).toList(),
                "two more checks after the first unanswered, none after the third");
    }

    @Test
    void whenTheJobSucceedsTheRunGoesBackToExtract() {
        databricks.play(key, StateStep.running(), StateStep.succeeded());
        stage.handle(submit(), false);
        stage.handle(submit().next(), false);
        stage.handle(submit().next().next(), false);

        assertEquals(JobPhase.SUCCEEDED, record().state().phase());
        assertEquals(List.of(RunLayout.EXTRACT_QUEUE), queue.sent().stream().map(InMemoryStageQueue.Sent::queue)
                .filter(q -> !q.equals(RunLayout.JOB_QUEUE)).toList());
        assertEquals(java.util.Optional.empty(), runs.outcome(RUN));
    }
}
