package io.tributary.cli;

import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.run.BlobRef;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunPlan;
import io.tributary.run.RunRecord;
import io.tributary.run.Stage;
import io.tributary.run.StageReport;
import io.tributary.run.TransformMessage;
import io.tributary.history.RunHistory.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StageProgressTest {

    private static final RunId RUN = RunId.parse("20261122T054007Z-0123456789");
    private static final Instant T0 = Instant.parse("2026-11-22T05:40:07Z");
    private static final BlobRef SOURCE = new BlobRef("landing", "events/a.csv", "0x1");

    private static Optional<RunPlan> plan(int chunks, int buckets) {
        return Optional.of(new RunPlan(IntStream.range(0, chunks).mapToObj(i -> new TransformMessage(
                TransformMessage.VERSION, RUN, "events", SOURCE, i, chunks, 0, 10, List.of(), 0, 0, buckets)).toList()));
    }

    private static RunStatus status(List<StageReport> stages, Optional<RunOutcome> outcome) {
        RunRecord record = new RunRecord(RUN, "events", "fileDrop", SOURCE, "h", T0, Map.of());
        return new RunStatus(record, stages, outcome, Optional.empty());
    }

    private static StageReport done(Stage stage, int chunk, double from, double to) {
        return StageReport.running(stage, chunk, T0.plusMillis((long) (from * 1000)))
                .succeeded(T0.plusMillis((long) (to * 1000)), 10, 9, 1);
    }

    @Test
    void eachStageSaysHowManyOfItsPiecesAreDoneAndRunning() {
        List<StageReport> stages = new ArrayList<>(List.of(done(Stage.EXTRACT, -1, 0, 0.5),
                done(Stage.TRANSFORM, 0, 0.5, 1.5), done(Stage.TRANSFORM, 1, 0.5, 1.7),
                StageReport.running(Stage.TRANSFORM, 2, T0.plusSeconds(1)),
                StageReport.running(Stage.TRANSFORM, 3, T0.plusSeconds(1)).failed(T0.plusSeconds(2), "boom")));

        List<StageProgress> progress = StageProgress.of(status(stages, Optional.empty()), plan(8, 4), T0.plusSeconds(3));

        assertEquals(Stage.CHAIN.stream().filter(s -> s != Stage.JOB).toList(), progress.stream()
                .map(StageProgress::stage).toList(), "a run without jobs has no job stage");
        assertEquals("  extract    ██████████  done, 0.50 s", progress.get(0).line(10, false));
        assertEquals("  transform  ██░░░░░░░░  2 of 8 chunks, 1 running, 1 failed, retrying, 2.50 s",
                progress.get(1).line(10, false));
        assertEquals("  combine    ░░░░░░░░░░  waiting", progress.get(2).line(10, false));
        assertEquals("  store      ░░░░░░░░░░  waiting", progress.get(3).line(10, false));
    }

    @Test
    void aRunWhoseTransformIsAJobShowsTheJobBetweenExtractAndTransform() {
        List<StageReport> stages = List.of(done(Stage.EXTRACT, -1, 0, 0.5),
                StageReport.running(Stage.JOB, 0, T0.plusSeconds(1)));

        List<StageProgress> progress = StageProgress.of(status(stages, Optional.empty()), Optional.empty(),
                T0.plusSeconds(31));

        assertEquals(List.of(Stage.EXTRACT, Stage.JOB, Stage.TRANSFORM, Stage.STORE), progress.stream()
                .map(StageProgress::stage).toList());
        assertEquals("  job        ░░░░  running, 30.00 s", progress.get(1).line(4, false));
    }

    @Test
    void aRunWithoutAPlanWaitsForItAndAFailedRunStopsRetrying() {
        List<StageReport> stages = List.of(StageReport.running(Stage.EXTRACT, -1, T0).failed(T0.plusSeconds(1), "no file"));
        RunStatus failed = status(stages, Optional.of(RunOutcome.failed(T0.plusSeconds(1), Stage.EXTRACT, -1, "no file")));

        List<StageProgress> progress = StageProgress.of(failed, Optional.empty(), T0.plusSeconds(5));

        assertEquals(List.of(Stage.EXTRACT, Stage.TRANSFORM, Stage.STORE), progress.stream().map(StageProgress::stage).toList());
        assertEquals("  extract    ░░░░  failed, 1.00 s", progress.get(0).line(4, true));
        assertEquals("  transform  ░░░░  waiting for the plan", progress.get(1).line(4, true));
    }

    @Test
    void liveProgressRedrawsItsLinesInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveProgress live = new LiveProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        live.draw(List.of("a", "b"));
        live.draw(List.of("c"));
        live.note("note");
        live.draw(List.of("d"));

        assertEquals("\r\033[2Ka\n\r\033[2Kb\n" + "\033[2A\r\033[2Kc\n\r\033[2K\n" + "note\n" + "\r\033[2Kd\n",
                bytes.toString(StandardCharsets.UTF_8));
    }
}
