package io.tributary.azureml;

import io.tributary.fetch.Sleeper;
import io.tributary.port.DataAssetException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends requests to Azure Resource Manager with a bearer token, over https only, and rides out what may pass (429,
 * 5xx, a lost or unanswered request) as {@link ArmRetry} allows. A 401 is tried once more with a fresh token. Any
 * other answer is handed back as it is, for the caller to judge. The token never leaves the request: an answer that
 * quotes it has it replaced, and no message names it.
 */
final class ArmClient {

    private static final String REDACTED = "[token]";

    private final HttpClient http;
    private final ArmTokens tokens;
    private final ArmRetry retry;
    private final Sleeper sleeper;

    ArmClient(HttpClient http, ArmTokens tokens, ArmRetry retry, Sleeper sleeper) {
        this.http = http;
        this.tokens = tokens;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    /** An answer: its status and its body (any token in it replaced). */
    record Answer(int status, String body) {
        ArmError error() {
            return ArmError.parse(body);
        }
    }

    /**
     * Sends {@code method url} with {@code json} (null: no body), until an answer that is not a 429 or a 5xx.
     *
     * @param doing what the request is for, as messages say it: {@code register data asset a:1 in workspace …}
     * @throws DataAssetException {@code unavailable} (retryable) when the attempts or the wait run out;
     *                            {@code credentials} (retryable) when no token can be had
     */
    Answer send(String method, URI url, String json, String doing) {
        if (!"https".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("a token goes to ARM over https only, not to " + url.getScheme() + "://"
                    + url.getHost());
        }
        String arm = "Azure Resource Manager (" + url.getHost() + ")";
        String last = arm + " was not called";
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
                if (status != 429 && status / 100 != 5) {
                    return new Answer(status, body);
                }
                last = arm + " answered HTTP " + status + ArmError.parse(body).describe();
                Optional<Duration> asked = response.headers().firstValue("Retry-After")
                        .flatMap(retry.backoff()::retryAfter);
                wait = asked.orElseGet(backoff(sent));
                if (asked.isPresent() && waited.plus(wait).compareTo(retry.budget()) > 0) {
                    last += ", asking to wait " + seconds(wait);
                }
            } catch (HttpTimeoutException e) {
                last = arm + " did not answer within " + seconds(retry.timeout());
                wait = backoff(sent).get();
            } catch (IOException e) {
                last = arm + " cannot be reached (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage().replace(token, REDACTED)) + ")";
                wait = backoff(sent).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataAssetException(DataAssetException.Kind.UNAVAILABLE, "interrupted while trying to " + doing,
                        true, e);
            }
            if (sent >= retry.attempts() || waited.plus(wait).compareTo(retry.budget()) > 0) {
                break;
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataAssetException(DataAssetException.Kind.UNAVAILABLE, "interrupted while trying to " + doing,
                        true, e);
            }
            waited = waited.plus(wait);
        }
        throw new DataAssetException(DataAssetException.Kind.UNAVAILABLE, "could not " + doing + ": " + last
                + " after " + sent + " request" + (sent == 1 ? "" : "s")
                + (waited.isZero() ? "" : " over " + seconds(waited)) + "; a later delivery of the work tries again",
                true, null);
    }

    private String token(String doing) {
        try {
            return tokens.token();
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().strip().lines().findFirst().orElse("");
            throw new DataAssetException(DataAssetException.Kind.CREDENTIALS, "could not " + doing + ": no token for "
                    + tokens.scope() + " (" + why + "); in Azure the app's managed identity gives it "
                    + "(AzureWebJobsStorage__clientId names a user-assigned one), locally your az login does", true, e);
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
