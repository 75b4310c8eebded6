package io.tributary.cli;

import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.run.BlobRef;
import io.tributary.run.Stage;
import io.tributary.run.TransformMessage;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlainProgressTest {

    private static final RunId RUN = RunId.parse("20261122T054007Z-0123456789");

    private static Optional<TransformMessage> chunk(int chunks, int buckets) {
        return Optional.of(new TransformMessage(TransformMessage.VERSION, RUN, "events",
                new BlobRef("landing", "events/a.csv", "0x1"), 0, chunks, 0, 10, List.of(), 0, 0, buckets));
    }

    @Test
    void aRunOfSeveralChunksSaysHowFarEachStageIs() {
        Set<String> printed = Set.of("extract -1 succeeded 2026-11-22T10:00:00Z",
                "transform 2 succeeded 2026-11-22T10:00:01Z", "transform 0 succeeded 2026-11-22T10:00:01Z",
                "transform 1 failed 2026-11-22T10:00:01Z", "combine 3 succeeded 2026-11-22T10:00:02Z");

        assertEquals(" (2 of 8 chunks)", PlainProgress.progress(Stage.TRANSFORM, printed, chunk(8, 8)));
        assertEquals(" (1 of 8 key buckets)", PlainProgress.progress(Stage.COMBINE, printed, chunk(8, 8)));
        assertEquals("", PlainProgress.progress(Stage.EXTRACT, printed, chunk(8, 8)));
        assertEquals("", PlainProgress.progress(Stage.STORE, printed, chunk(8, 8)));
    }

    @Test
    void aRunOfOneChunkOrWithoutAPlanPrintsAsBefore() {
        Set<String> printed = Set.of("transform 0 succeeded 2026-11-22T10:00:01Z");

        assertEquals("", PlainProgress.progress(Stage.TRANSFORM, printed, chunk(1, 0)));
        assertEquals("", PlainProgress.progress(Stage.TRANSFORM, printed, Optional.empty()));
        assertEquals("", PlainProgress.progress(Stage.COMBINE, printed, chunk(4, 0)), "a run not routed by key");
    }
}
