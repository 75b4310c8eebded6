package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.Stage;
import io.tributary.testing.InMemoryBlobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of fan-in ({@link FanIn}) on the in-memory blob store: fast enough to try every order of deliveries.
 * {@code StagesIT}, {@code ExactlyOnceIT} and {@code ChunkedRunsIT} hold the same rules against Azurite.
 */
class FanInRulesTest {

    private static final RunId RUN = RunId.parse("20261122T060000Z-0123456789");

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final RunStore runs = new RunStore(blobs);
    private final List<String> sent = new ArrayList<>();

    private void deliver(int done, int expected) {
        FanIn.whenComplete(runs, RUN, RUN + "/chunks/", expected, RUN + "/claims/store", Stage.STORE,
                () -> sent.add("store " + done + "/" + expected));
    }

    private void finishChunk(int chunk) {
        blobs.createIfAbsent(RunLayout.RUNS, RUN + "/chunks/" + chunk + ".json", new byte[0]);
    }

    @Test
    void fanInHandsTheRunOnOnceWhenItsLastPieceIsDoneWhateverTheOrderOfDeliveries() {
        finishChunk(0);
        deliver(1, 3);
        finishChunk(2);
        deliver(2, 3);
        assertEquals(List.of(), sent, "not before every piece is done");

        finishChunk(1);
        deliver(3, 3);
        deliver(3, 3); // the last chunk's message delivered again
        deliver(3, 3); // and an earlier chunk's, late
        assertEquals(List.of("store 3/3"), sent, "once, by the delivery that won the claim");
        assertTrue(runs.handedOff(RUN, Stage.STORE));
    }

    @Test
    void fanInSendsAgainWhenTheClaimsWinnerDiedBeforeItsHandOffButNotAfterTheRunEnded() {
        finishChunk(0);
        // The winner took the claim and died before sending.
        blobs.createIfAbsent(RunLayout.RUNS, RUN + "/claims/store", new byte[0]);
        deliver(1, 1);
        assertEquals(List.of("store 1/1"), sent, "the next delivery sends what the winner did not");
        deliver(1, 1);
        assertEquals(1, sent.size(), "marked handed off: no third send");

        InMemoryBlobStore other = new InMemoryBlobStore();
        RunStore ended = new RunStore(other);
        other.createIfAbsent(RunLayout.RUNS, RUN + "/chunks/0.json", new byte[0]);
        other.createIfAbsent(RunLayout.RUNS, RUN + "/claims/store", new byte[0]);
        ended.finish(RUN, RunOutcome.failed(Instant.parse("2026-11-22T06:01:00Z"), Stage.TRANSFORM, 0, "boom"), null);
        List<String> late = new ArrayList<>();
        FanIn.whenComplete(ended, RUN, RUN + "/chunks/", 1, RUN + "/claims/store", Stage.STORE, () -> late.add("store"));
        assertEquals(List.of(), late, "a run with an outcome is not handed on");
    }
}
