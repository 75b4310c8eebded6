package io.tributary.port;

import io.tributary.run.Alert;
import io.tributary.run.AlertDelivery;

/** Delivers an alert to people (a webhook); the stages know no more of it than this. */
@FunctionalInterface
public interface AlertSender {

    /** Sends nothing: alerts are off (no webhook configured). */
    AlertSender NONE = alert -> AlertDelivery.failed(0, "no alert webhook is configured", alert.at());

    /**
     * Delivers {@code alert}, retrying as it sees fit; says how it went rather than throwing.
     */
    AlertDelivery send(Alert alert);
}
