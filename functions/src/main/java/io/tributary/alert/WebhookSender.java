package io.tributary.alert;

import io.tributary.fetch.RetryPolicy;
import io.tributary.fetch.Sleeper;
import io.tributary.run.Alert;
import io.tributary.run.AlertDelivery;
import io.tributary.run.LogContext;
import io.tributary.port.AlertSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Posts alerts to an incoming webhook (Slack, Microsoft Teams, or anything that takes JSON), as
 * {@link AlertPayload}. A 429, a 5xx, a timeout or a broken connection is retried with back-off (1 s, 2 s, 4 s, …,
 * or as long as a {@code Retry-After} asks, up to a minute), up to {@code attempts} POSTs; any other answer is final.
 * The URL's path and query are the webhook's secret: only its scheme and host are ever logged or recorded.
 */
public final class WebhookSender implements AlertSender {

    /** The app setting holding the webhook's URL (in Azure, a Key Vault reference). */
    public static final String URL_SETTING = "TRIBUTARY_ALERT_WEBHOOK_URL";
    /** The app setting holding how many POSTs an alert gets at most (default 4). */
    public static final String ATTEMPTS_SETTING = "TRIBUTARY_ALERT_ATTEMPTS";
    public static final int DEFAULT_ATTEMPTS = 4;
    /** 1 s doubling, no jitter (one alert, one receiver): 1, 2, 4, 8 s; {@code Retry-After} honoured up to 60 s. */
    public static final RetryPolicy BACKOFF = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(60), () -> 1.0, Clock.systemUTC());

    private static final Logger LOG = LogContext.logger(WebhookSender.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * The most an alert waits between its attempts in all: a webhook that keeps asking to wait (Retry-After) does
     * not hold the invocation that raised the alert for minutes.
     */
    static final Duration RETRY_BUDGET = Duration.ofSeconds(60);

    private final URI url;
    private final int attempts;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final HttpClient http;

    public WebhookSender(URI url, int attempts, RetryPolicy policy, Sleeper sleeper, Clock clock) {
        if (url.getScheme() == null || url.getHost() == null
                || !(url.getScheme().equals("https") || url.getScheme().equals("http"))) {
            throw new IllegalArgumentException("the alert webhook URL must be an http(s) URL, such as "
                    + "https://hooks.slack.com/services/…; it starts " + redact(url));
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("an alert needs at least 1 attempt, not " + attempts);
        }
        this.url = url;
        this.attempts = attempts;
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The sender the app settings ask for: {@link AlertSender#NONE} without {@value #URL_SETTING}.
     *
     * @throws IllegalStateException when a setting is malformed (naming it, never showing the URL's secret part)
     */
    public static AlertSender fromSettings(Function<String, Optional<String>> settings) {
        Optional<String> url = settings.apply(URL_SETTING).map(String::strip).filter(s -> !s.isEmpty());
        if (url.isEmpty()) {
            return AlertSender.NONE;
        }
        String attempts = settings.apply(ATTEMPTS_SETTING).orElse(String.valueOf(DEFAULT_ATTEMPTS)).strip();
        try {
            return new WebhookSender(URI.create(url.get()), Integer.parseInt(attempts), BACKOFF, Sleeper.REAL,
                    Clock.systemUTC());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the app setting " + ATTEMPTS_SETTING + " must be a whole number of at "
                    + "least 1, such as 4; it is '" + attempts + "'", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the app setting " + URL_SETTING + " does not hold a usable URL: "
                    + (e.getMessage().contains("must be") ? e.getMessage() : "it does not parse"), e);
        }
    }

    /** " of run R", or what the alert is about when it names no run (a poisoned file drop). */
    private static String about(Alert alert) {
        return alert.runId() != null ? " of run " + alert.runId()
                : alert.details().containsKey("blob") ? " of " + alert.details().get("blob")
                : alert.details().containsKey("queue") ? " on " + alert.details().get("queue") : "";
    }

    /** {@code scheme://host/…}: what may be said of a webhook URL without giving its secret away. */
    public static String redact(URI url) {
        String scheme = url.getScheme() == null ? "?" : url.getScheme();
        String host = url.getHost() == null ? "?" : url.getHost();
        return scheme + "://" + host + "/…";
    }

    @Override
    public AlertDelivery send(Alert alert) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(AlertPayload.of(alert))).build();
        String where = redact(url);
        String last = "not tried";
        Duration waited = Duration.ZERO;
        int tried = 0;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            tried = attempt;
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    LOG.info("alert " + alert.kind() + about(alert) + " sent to " + where
                            + (attempt > 1 ? " on attempt " + attempt : ""));
                    return AlertDelivery.sent(attempt, "HTTP " + status, clock.instant());
                }
                last = "HTTP " + status + scrub(snippet(response.body()));
                if (status != 429 && status / 100 != 5) {
                    LOG.warning("alert " + alert.kind() + about(alert) + " refused by " + where + ": "
                            + last + "; not retried (check the webhook URL and that it takes JSON posts)");
                    return AlertDelivery.failed(attempt, last + " from " + where, clock.instant());
                }
                wait = response.headers().firstValue("Retry-After").flatMap(policy::retryAfter)
                        .map(w -> w.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : w)
                        .orElseGet(backoff(attempt));
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + scrub(e.getMessage()));
                wait = backoff(attempt).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return AlertDelivery.failed(attempt, "interrupted", clock.instant());
            }
            if (attempt < attempts) {
                if (waited.plus(wait).compareTo(RETRY_BUDGET) > 0) {
                    break; // the invocation that raised the alert has other work, and a time limit
                }
                waited = waited.plus(wait);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return AlertDelivery.failed(attempt, "interrupted", clock.instant());
                }
            }
        }
        LOG.warning("alert " + alert.kind() + about(alert) + " not delivered to " + where + " after "
                + tried + " attempt" + (tried == 1 ? "" : "s") + ", giving up: " + last + "; the run is not affected");
        return AlertDelivery.failed(tried, last + " from " + where, clock.instant());
    }

    private java.util.function.Supplier<Duration> backoff(int attempt) {
        return () -> policy.backoff(attempt);
    }

    /** {@code text} without the URL's secret part, should an error message quote it. */
    private String scrub(String text) {
        String scrubbed = text.replace(url.toString(), redact(url));
        String path = url.getRawPath();
        if (path != null && path.length() > 1) {
            scrubbed = scrubbed.replace(path, "/…");
        }
        return url.getRawQuery() == null ? scrubbed : scrubbed.replace(url.getRawQuery(), "…");
    }

    /** The start of a webhook's answer, which says why it refused ("invalid_payload", "no_text"). */
    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().lines().findFirst().orElse("");
        return " (" + (line.length() > 200 ? line.substring(0, 200) + "…" : line) + ")";
    }
}
