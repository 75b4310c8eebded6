package io.tributary.bench;

import java.util.ArrayList;
import java.util.List;

/** (d) Drop-to-commit latency of small files, dropped one at a time, each after the previous one committed. */
final class LatencySection {

    private final Landing landing;
    private final Progress progress;

    LatencySection(Landing landing, Progress progress) {
        this.landing = landing;
        this.progress = progress;
    }

    /** The milliseconds from each drop to its commit, in drop order. */
    List<Double> run(List<Input> inputs) {
        List<Double> millis = new ArrayList<>();
        for (Input input : inputs) {
            Landing.Drop drop = landing.drop(input.pipeline().pipeline(),
                    input.pipeline().landingName(input.fileName()), input.generated().file());
            long committed = landing.awaitCommit(drop, EndToEndSection.timeout(drop.bytes()));
            millis.add((committed - drop.droppedNanos()) / 1e6);
            if (millis.size() % 10 == 0) {
                progress.say(String.format("  %d/%d small files committed; the last after %.0f ms", millis.size(),
                        inputs.size(), millis.get(millis.size() - 1)));
            }
        }
        return millis;
    }
}
