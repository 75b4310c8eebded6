package io.tributary.alert;

import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.fetch.Sleeper;
import io.tributary.run.Alert;
import io.tributary.run.AlertDelivery;
import io.tributary.run.LogContext;
import io.tributary.port.AlertSender;
import io.tributary.run.Stage;
import io.tributary.testing.CapturedLog;
import io.tributary.testing.WebhookReceiver;
import io.tributary.testing.WebhookReceiver.Answer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The webhook sender against a real HTTP receiver on loopback; the waits between attempts are recorded, not slept. */
class WebhookSenderTest {

    private static final Alert FAILED = new Alert(Alert.RUN_FAILED, "orders",
            RunId.parse("20261122T073242Z-a3f6fba34e"),
            Stage.TRANSFORM, 2, "Run 20261122T073242Z-a3f6fba34e of pipeline orders failed in transform chunk 2: boom",
            Instant.parse("2026-11-22T07:32:44Z"));

    private final List<Duration> waits = new ArrayList<>();
    private final Sleeper recording = waits::add;

    private WebhookSender sender(WebhookReceiver receiver, int attempts) {
        return new WebhookSender(URI.create(receiver.url()), attempts, WebhookSender.BACKOFF, recording,
                Clock.systemUTC());
    }

    @Test
    void postsOneJsonBodyThatSlackAndTeamsBothTake() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            AlertDelivery delivery = sender(receiver, 4).send(FAILED);

            assertEquals(List.of("sent", 1, "HTTP 200"), List.of(delivery.status(), delivery.attempts(),
                    delivery.detail()));
            assertEquals(1, receiver.received().size());
            WebhookReceiver.Received post = receiver.received().get(0);
            assertEquals(List.of("POST", WebhookReceiver.SECRET_PATH, "application/json; charset=utf-8"),
                    List.of(post.method(), post.path(), post.contentType()));
            JsonNode body = post.body();
            assertEquals(FAILED.text(), body.get("text").asText(), "Slack's and Teams' text");
            assertEquals("MessageCard", body.get("@type").asText());
            assertEquals("https://schema.org/extensions", body.get("@context").asText());
            assertEquals("Tributary: orders run failed", body.get("title").asText());
            assertEquals("Tributary: orders run failed", body.get("summary").asText());
            assertEquals("D13438", body.get("themeColor").asText());
            assertEquals("[{\"name\":\"pipeline\",\"value\":\"orders\"},{\"name\":\"run\",\"value\":"
                    + "\"20261122T073242Z-a3f6fba34e\"},{\"name\":\"stage\",\"value\":\"transform 2\"},"
                    + "{\"name\":\"at\",\"value\":\"2026-11-22T07:32:44Z\"}]",
                    body.get("sections").get(0).get("facts").toString());
            assertEquals("{\"kind\":\"runFailed\",\"pipeline\":\"orders\",\"runId\":\"20261122T073242Z-a3f6fba34e\","
                    + "\"stage\":\"transform\",\"chunk\":2,\"at\":\"2026-11-22T07:32:44Z\"}",
                    body.get("tributary").toString());
            assertEquals(List.of(), waits);
        }
    }

    @Test
    void retriesServerErrorsWithDoublingBackOff() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(Answer.status(500), Answer.status(502), Answer.status(503));

            AlertDelivery delivery = sender(receiver, 4).send(FAILED);

            assertEquals(List.of("sent", 4), List.of(delivery.status(), delivery.attempts()));
            assertEquals(4, receiver.received().size());
            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), waits);
        }
    }

    @Test
    void honoursRetryAfterOnTooManyRequests() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(new Answer(429, Map.of("Retry-After", "7"), "rate_limited"),
                    new Answer(429, Map.of("Retry-After", "30"), "rate_limited"), Answer.status(429));

            AlertDelivery delivery = sender(receiver, 4).send(FAILED);

            assertEquals(List.of("sent", 4), List.of(delivery.status(), delivery.attempts()));
            assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(30), Duration.ofSeconds(4)), waits,
                    "as asked, else the back-off");
        }
    }

    @Test
    void aWebhookThatKeepsAskingToWaitIsGivenUpAfterAMinuteOfWaiting() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(new Answer(429, Map.of("Retry-After", "3600"), "rate_limited"),
                    new Answer(429, Map.of("Retry-After", "5"), "rate_limited"), Answer.status(200));

            AlertDelivery delivery = sender(receiver, 4).send(FAILED);

            assertEquals(List.of("failed", 2), List.of(delivery.status(), delivery.attempts()));
            assertEquals(List.of(Duration.ofSeconds(60)), waits, "an hour asked for, capped at a minute, which is "
                    + "all an alert may wait in all: the next 5 s would go past it");
            assertEquals(2, receiver.received().size());
        }
    }

    @Test
    void givesUpAfterItsAttemptsWithOneLogLineThatKeepsTheUrlSecret() {
        try (WebhookReceiver receiver = new WebhookReceiver(); CapturedLog log = new CapturedLog(WebhookSender.class);
             LogContext.Scope scope = LogContext.open(FAILED.runId(), "orders", Stage.TRANSFORM, 2)) {
            receiver.answer(Answer.status(500), Answer.status(500), Answer.status(500), Answer.status(500));

            AlertDelivery delivery = sender(receiver, 3).send(FAILED);

            assertEquals(List.of("failed", 3), List.of(delivery.status(), delivery.attempts()));
            String where = "http://127.0.0.1/…";
            assertEquals("HTTP 500 (error) from " + where, delivery.detail());
            assertEquals(3, receiver.received().size());
            assertEquals(List.of("WARNING [run=20261122T073242Z-a3f6fba34e pipeline=orders stage=transform chunk=2] "
                    + "alert runFailed of run 20261122T073242Z-a3f6fba34e not delivered to " + where + " after 3 "
                    + "attempts, giving up: HTTP 500 (error); the run is not affected"), log.lines());
            assertFalse(log.lines().toString().contains("s3cr3t"), log.lines().toString());
        }
    }

    @Test
    void aRefusalIsNotRetriedAndAnUnreachableReceiverIsGivenUp() {
        try (WebhookReceiver receiver = new WebhookReceiver(); CapturedLog log = new CapturedLog(WebhookSender.class)) {
            receiver.answer(new Answer(404, Map.of(), "no_service " + WebhookReceiver.SECRET_PATH));

            AlertDelivery refused = sender(receiver, 4).send(FAILED);

            assertEquals(List.of("failed", 1, "HTTP 404 (no_service /…) from http://127.0.0.1/…"),
                    List.of(refused.status(), refused.attempts(), refused.detail()));
            assertEquals(List.of(), waits);
            String url = receiver.url();
            receiver.close();
            AlertDelivery unreachable = new WebhookSender(URI.create(url), 2, WebhookSender.BACKOFF, recording,
                    Clock.systemUTC()).send(FAILED);
            assertEquals(List.of("failed", 2), List.of(unreachable.status(), unreachable.attempts()));
            assertTrue(unreachable.detail().startsWith("ConnectException"), unreachable.detail());
            assertEquals(List.of(Duration.ofSeconds(1)), waits);
            assertEquals(2, log.lines().size(), log.lines().toString());
            assertFalse(log.lines().toString().contains("s3cr3t"), log.lines().toString());
        }
    }

    @Test
    void theSettingsChooseTheSender() {
        assertSame(AlertSender.NONE, WebhookSender.fromSettings(name -> Optional.empty()));
        assertSame(AlertSender.NONE, WebhookSender.fromSettings(name -> Optional.of(" ").filter(
                v -> name.equals(WebhookSender.URL_SETTING))));
        assertTrue(WebhookSender.fromSettings(name -> Optional.of("https://hooks.slack.com/services/T/B/secret")
                .filter(v -> name.equals(WebhookSender.URL_SETTING))) instanceof WebhookSender);
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> WebhookSender.fromSettings(
                name -> Optional.of("ftp://files.example.com/s3cr3t").filter(v -> name.equals(WebhookSender.URL_SETTING))));
        assertEquals("the app setting TRIBUTARY_ALERT_WEBHOOK_URL does not hold a usable URL: the alert webhook URL "
                + "must be an http(s) URL, such as https://hooks.slack.com/services/…; it starts ftp://files.example.com/…",
                bad.getMessage());
        assertEquals("https://hooks.slack.com/…",
                WebhookSender.redact(URI.create("https://hooks.slack.com/services/T0001/B0002/s3cr3t?x=1")));
    }
}
