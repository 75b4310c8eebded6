package io.tributary.run;

import java.time.Instant;

/**
 * What became of an alert, recorded beside its claim in {@code tributary-runs/{runId}/alerts/{kind}.json}.
 *
 * @param status   {@code sending} (claimed, not yet answered — or the sender died), {@code sent}, or {@code failed}
 *                 (given up; the run is not affected)
 * @param attempts how many POSTs were made
 * @param detail   the webhook's answer, or why it was given up; never the webhook's URL
 */
public record AlertDelivery(String status, int attempts, String detail, Instant at) {

    public static AlertDelivery sending(Instant at) {
        return new AlertDelivery("sending", 0, null, at);
    }

    public static AlertDelivery sent(int attempts, String detail, Instant at) {
        return new AlertDelivery("sent", attempts, detail, at);
    }

    public static AlertDelivery failed(int attempts, String detail, Instant at) {
        return new AlertDelivery("failed", attempts, detail, at);
    }

    /** The blob's content: the alert and its delivery. */
    public record Claim(Alert alert, AlertDelivery delivery) {
    }
}
