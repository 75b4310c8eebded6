package io.tributary.cloud;

import io.tributary.fetch.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends requests to one cloud service (Azure Resource Manager, an Azure Databricks workspace, a Synapse workspace)
 * with a bearer token, over https only (or to a stand-in on this machine's loopback address, which the composition
 * root gives a stand-in credential: see {@link Loopback}), and rides out what may pass (429, 5xx, a lost or unanswered request) as
 * {@link CallRetry} allows. A request that would start something twice if sent twice is sent once ({@link
 * Resend#NEVER}): its caller looks the work up before trying again. A 401 is tried once more with a fresh token. Any
 * other answer is handed back as it is, for the caller to judge. The token never leaves the request: an answer that
 * quotes it has it replaced, and no message names it.
 */
public final class BearerClient {

    private static final String REDACTED = "[token]";

    /** Whether a request may be sent again when it was throttled, failed with a 5xx, or got no answer. */
    public enum Resend {
        /** Reading, or writing with a key that makes a second request a no-op (a PUT by name, an idempotency token). */
        SAFE,
        /** A request that could start a second job: sent once; a lost answer is reported, not retried. */
        NEVER
    }

    /** Makes the exception a call ends with: {@code credentials} when no token could be had, else unavailable. */
    @FunctionalInterface
    public interface Failure {
        RuntimeException create(boolean credentials, String message, Throwable cause);
    }

    private final HttpClient http;
    private final BearerTokens tokens;
    private final CallRetry retry;
    private final Sleeper sleeper;
    private final String service;
    private final Function<String, String> describeError;
    private final Failure failure;

    /**
     * @param service       the service as messages name it, e.g. {@code Azure Resource Manager}
     * @param describeError what an error answer's body says, as {@code " (Code: message)"} or nothing
     */
    public BearerClient(HttpClient http, BearerTokens tokens, CallRetry retry, Sleeper sleeper, String service,
                        Function<String, String> describeError, Failure failure) {
        this.http = http;
        this.tokens = tokens;
        this.retry = retry;
        this.sleeper = sleeper;
        this.service = service;
        this.describeError = describeError;
        this.failure = failure;
    }

    /** Java's HTTP client as the edges use it: it connects within 10 s and follows no redirect (a token never does). */
    public static HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A client for a compute's API ({@code service}, tokens for {@code scope}): a call that gets no token fails as
     * {@code credentials}, one that runs out of attempts as {@code unavailable}, both {@link JobException}s to retry.
     */
    public static BearerClient forJobs(HttpClient http, com.azure.core.credential.TokenCredential credential,
                                       String scope, CallRetry retry, Sleeper sleeper, java.time.Clock clock,
                                       String service, Function<String, String> describeError) {
        return new BearerClient(http, new BearerTokens(credential, scope, clock), retry, sleeper, service,
                describeError, (credentials, message, cause) -> new io.tributary.port.JobException(credentials
                ? io.tributary.port.JobException.Kind.CREDENTIALS : io.tributary.port.JobException.Kind.UNAVAILABLE,
                message, true, cause));
    }

    /** An answer: its status, its body (any token in it replaced) and its headers' first values, names lower case. */
    public record Answer(int status, String body, Map<String, String> headers) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** {@link #send(String, URI, String, String, Resend)} of a request that is safe to send again. */
    public Answer send(String method, URI url, String json, String doing) {
        return send(method, url, json, doing, Resend.SAFE);
    }

    /**
     * Sends {@code method url} with {@code json} (null: no body), until an answer that is not a 429 or a 5xx (once
     * only when {@code resend} is {@link Resend#NEVER}).
     *
     * @param doing what the request is for, as messages say it: {@code register data asset a:1 in workspace …}
     * @throws RuntimeException from the {@link Failure}: unavailable (retryable) when the attempts or the wait run
     *                          out; credentials (retryable) when no token can be had
     */
    public Answer send(String method, URI url, String json, String doing, Resend resend) {
        if (!"https".equalsIgnoreCase(url.getScheme()) && !Loopback.isLoopback(url)) {
            throw new IllegalArgumentException("a token goes to " + service + " over https only, not to "
                    + url.getScheme() + "://" + url.getHost());
        }
        String who = service + " (" + url.getHost() + ")";
        String last = who + " was not called";
        Duration waited = Duration.ZERO;
        boolean freshToken = false;
        int sent = 0;
        while (true) {
            String token = token(doing);
            sent++;
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request(method, url, json, token),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                String body = response.body() == null ? "" : response.body().replace(token, REDACTED);
                if (status == 401 && !freshToken) {
                    // A token kept from before a role was granted, or revoked: one more try with a new one.
                    tokens.forget();
                    freshToken = true;
                    sent--;
                    continue;
                }
                if ((status != 429 && status / 100 != 5) || (resend == Resend.NEVER && status != 429)) {
                    return new Answer(status, body, headers(response));
                }
                last = who + " answered HTTP " + status + describeError.apply(body);
                Optional<Duration> asked = response.headers().firstValue("Retry-After")
                        .flatMap(retry.backoff()::retryAfter);
                wait = asked.orElseGet(backoff(sent));
                if (asked.isPresent() && waited.plus(wait).compareTo(retry.budget()) > 0) {
                    last += ", asking to wait " + seconds(wait);
                }
            } catch (HttpTimeoutException e) {
                last = who + " did not answer within " + seconds(retry.timeout());
                if (resend == Resend.NEVER) {
                    throw lost(doing, last, e);
                }
                wait = backoff(sent).get();
            } catch (IOException e) {
                last = who + " cannot be reached (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage().replace(token, REDACTED)) + ")";
                if (resend == Resend.NEVER) {
                    throw lost(doing, last, e);
                }
                wait = backoff(sent).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure.create(false, "interrupted while trying to " + doing, e);
            }
            if (sent >= retry.attempts() || waited.plus(wait).compareTo(retry.budget()) > 0) {
                break;
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure.create(false, "interrupted while trying to " + doing, e);
            }
            waited = waited.plus(wait);
        }
        throw failure.create(false, "could not " + doing + ": " + last + " after " + sent + " request"
                + (sent == 1 ? "" : "s") + (waited.isZero() ? "" : " over " + seconds(waited))
                + "; a later delivery of the work tries again", null);
    }

    /** A request sent once whose answer never came: it may or may not have been done. */
    private RuntimeException lost(String doing, String last, Throwable cause) {
        return failure.create(false, "could not " + doing + ": " + last + "; it may have been done, so the next "
                + "delivery of the work looks for it before asking again", cause);
    }

    private static Map<String, String> headers(HttpResponse<?> response) {
        Map<String, String> first = new java.util.TreeMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!values.isEmpty()) {
                first.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return first;
    }

    private String token(String doing) {
        try {
            return tokens.token();
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().strip().lines().findFirst().orElse("");
            throw failure.create(true, "could not " + doing + ": no token for " + tokens.scope() + " (" + why
                    + "); in Azure the app's managed identity gives it (AzureWebJobsStorage__clientId names a "
                    + "user-assigned one), locally your az login does", e);
        }
    }

    private HttpRequest request(String method, URI url, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(retry.timeout())
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (json == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", "application/json; charset=utf-8")
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    }

    private Supplier<Duration> backoff(int sent) {
        return () -> retry.backoff().backoff(sent);
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
