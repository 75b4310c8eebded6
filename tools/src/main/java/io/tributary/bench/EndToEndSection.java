package io.tributary.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * (b) Drop to commit through the storage account and the host, file by file, against a plain download and upload
 * of the same bytes through the same account.
 */
final class EndToEndSection {

    /** The bytes moved, the seconds from each drop to its commit (summed), and those of the plain copies. */
    record Figures(long bytes, double e2eSeconds, double copySeconds) {
    }

    private final Landing landing;
    private final Progress progress;

    EndToEndSection(Landing landing, Progress progress) {
        this.landing = landing;
        this.progress = progress;
    }

    Figures run(List<Input> inputs) {
        long bytes = 0;
        double e2e = 0;
        List<Landing.Drop> drops = new ArrayList<>();
        for (Input input : inputs) {
            progress.say("  dropping " + input.fileName() + String.format(" (%.1f MB) for %s", input.generated().bytes()
                    / 1e6, input.pipeline().pipeline()));
            Landing.Drop drop = landing.drop(input.pipeline().pipeline(),
                    input.pipeline().landingName("e2e-" + input.fileName()), input.generated().file());
            long committed = landing.awaitCommit(drop, timeout(drop.bytes()));
            double seconds = (committed - drop.droppedNanos()) / 1e9;
            progress.say(String.format("  run %s committed %.2f s after the drop", drop.runId(), seconds));
            bytes += drop.bytes();
            e2e += seconds;
            drops.add(drop);
        }
        double copy = 0;
        for (Landing.Drop drop : drops) {
            long start = System.nanoTime();
            long copied = landing.copy(drop.name());
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.say(String.format("  downloaded and uploaded %s (%.1f MB) in %.2f s", drop.name(), copied / 1e6,
                    seconds));
            copy += seconds;
        }
        return new Figures(bytes, e2e, copy);
    }

    /** A minute, and a second for each MB: far beyond what a run that works takes. */
    static Duration timeout(long bytes) {
        return Duration.ofSeconds(60 + bytes / 1_000_000);
    }
}
