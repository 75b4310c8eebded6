package io.tributary.definition;

import java.util.Optional;

/**
 * When a pipeline's runs raise alerts beyond those every run raises (a failed run, a poisoned message).
 *
 * @param rejectedFraction alert when a run commits with more than this fraction of its rows read rejected (0 to 1);
 *                         empty for no such alert. Unlike {@code maxRejectedFraction}, the run still commits.
 */
public record AlertRules(Optional<Double> rejectedFraction) {

    /** No alerts beyond those every run raises. */
    public static final AlertRules NONE = new AlertRules(Optional.empty());
}
