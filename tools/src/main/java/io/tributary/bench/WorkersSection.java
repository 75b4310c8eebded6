package io.tributary.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * (e) Several files dropped at once (each a copy inside the account of a blob staged beforehand, so all land within
 * milliseconds): their bytes over the time from the first drop to the last commit.
 */
final class WorkersSection {

    /** The bytes dropped and the seconds from the first drop to the last commit. */
    record Figures(long bytes, double seconds) {
        double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    private final Landing landing;
    private final Progress progress;

    WorkersSection(Landing landing, Progress progress) {
        this.landing = landing;
        this.progress = progress;
    }

    /** Stages the files once, for every later {@link #run}. */
    void stage(List<Input> inputs) {
        for (Input input : inputs) {
            landing.stage(input.fileName(), input.generated().file());
        }
    }

    Figures run(List<Input> inputs, String tag) {
        List<Landing.Drop> drops = new ArrayList<>();
        for (Input input : inputs) {
            drops.add(landing.dropStaged(input.pipeline().pipeline(), input.fileName(),
                    input.pipeline().landingName(tag + "-" + input.fileName())));
        }
        long first = drops.stream().mapToLong(Landing.Drop::droppedNanos).min().orElseThrow();
        long bytes = drops.stream().mapToLong(Landing.Drop::bytes).sum();
        long last = first;
        for (Landing.Drop drop : drops) {
            long committed = landing.awaitCommit(drop, EndToEndSection.timeout(bytes));
            last = Math.max(last, committed);
            progress.say(String.format("  %s committed %.2f s after the first drop", drop.name(), (committed - first)
                    / 1e9));
        }
        return new Figures(bytes, (last - first) / 1e9);
    }
}
