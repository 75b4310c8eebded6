package io.tributary.fetch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.fetch.SourceException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * GETs one page: sends the headers, follows up to {@value #MAX_REDIRECTS} redirects on the request's own origin
 * (never to another: the headers carry credentials), retries 429, 5xx, refused connections and timeouts as the
 * {@link RetryPolicy} says (up to {@code maxAttempts}), and parses the body within {@code maxResponseBytes}. Every
 * failure is a classified {@link SourceException} that names the request with its secrets masked; one that comes
 * after all {@code maxAttempts} (or a {@code Retry-After} longer than a fetch waits) is not to be retried by a later
 * delivery, which would only call the API again at once and from page 1.
 */
final class PageClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SNIPPET = 200;
    /** The redirects a page follows, on the same origin only; the HTTP client follows none itself. */
    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final HttpClient http;
    private final Map<String, String> headers;
    private final String credentialSettings;
    private final Secrets secrets;
    /** Closes the body of a page that takes longer than the timeout to arrive. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tributary-rest-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final Duration timeout;
    private final int maxAttempts;
    private final long maxBytes;
    private final RetryPolicy policy;
    private final Sleeper sleeper;

    /**
     * @param http               a client that follows no redirects: this follows them, on the same origin only
     * @param headers            the expanded headers to send
     * @param credentialSettings which settings the headers use, for a 401/403 message (e.g.
     *                           {@code "CRM_API_TOKEN (header Authorization)"}), or empty
     * @param secrets            masks the URLs a redirect names, and what the server says (error bodies, headers)
     */
    PageClient(HttpClient http, Map<String, String> headers, String credentialSettings, Secrets secrets,
               Duration timeout, int maxAttempts, long maxBytes, RetryPolicy policy, Sleeper sleeper) {
        this.http = http;
        this.headers = headers;
        this.credentialSettings = credentialSettings;
        this.secrets = secrets;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.maxBytes = maxBytes;
        this.policy = policy;
        this.sleeper = sleeper;
    }

    Page get(RestRequest request, int number) {
        try {
            requestTo(request.uri()); // checks the headers once, before any attempt
        } catch (IllegalArgumentException e) {
            throw new SourceException(Kind.CONFIGURATION, "a header of source.rest cannot be sent ("
                    + e.getMessage() + "); remove or rename it");
        }
        for (int attempt = 1; ; attempt++) {
            RestRequest current = request;
            HttpResponse<InputStream> response;
            try {
                response = http.send(requestTo(current.uri()), HttpResponse.BodyHandlers.ofInputStream());
                for (int redirects = 1; REDIRECTS.contains(response.statusCode()); redirects++) {
                    current = redirected(current, response, redirects);
                    response = http.send(requestTo(current.uri()), HttpResponse.BodyHandlers.ofInputStream());
                }
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw SourceException.noRedelivery(Kind.UNREACHABLE, current.describe() + " failed "
                            + times(attempt) + ": " + why(e) + "; check that the API's address is right, that it is "
                            + "up and reachable from here", e);
                }
                pause(policy.backoff(attempt), current.describe());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(Kind.UNAVAILABLE, current.describe() + " was interrupted", e);
            }
            String what = current.describe();
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Page(current, number, parse(response, current, number), response.headers());
            }
            String snippet = secrets.mask(snippet(response.body()));
            if (status == 401 || status == 403) {
                throw new SourceException(Kind.CREDENTIALS, "HTTP " + status + " from " + what + ": the API refused the "
                        + "credentials; " + (credentialSettings.isEmpty() ? "the request sends none from the app "
                        + "settings: add a header such as \"Authorization\": \"Bearer %CRM_API_TOKEN%\""
                        : "check the app settings it sends: " + credentialSettings) + snippetSuffix(snippet));
            }
            if (status == 429 || status >= 500) {
                Optional<Duration> asked = policy.retryAfter(response.headers().firstValue("Retry-After").orElse(null));
                if (asked.isPresent() && asked.get().compareTo(policy.maxRetryAfter()) > 0) {
                    throw SourceException.noRedelivery(Kind.UNAVAILABLE, "HTTP " + status + " from " + what + ": the "
                            + "server asked to wait " + asked.get().toSeconds() + " s (Retry-After) before trying "
                            + "again, more than the " + policy.maxRetryAfter().toSeconds() + " s a fetch waits; the "
                            + "run fails without calling it again: run it again after that time", null);
                }
                if (attempt >= maxAttempts) {
                    throw SourceException.noRedelivery(Kind.UNAVAILABLE, "HTTP " + status + " from " + what + " "
                            + times(attempt) + (status == 429 ? " (too many requests)" : " (the API failed)")
                            + snippetSuffix(snippet) + "; run it again later, or raise source.rest.maxAttempts", null);
                }
                int failed = attempt;
                pause(asked.orElseGet(() -> policy.backoff(failed)), what);
                continue;
            }
            throw new SourceException(Kind.REJECTED, "HTTP " + status + " from " + what + ": the API rejected the "
                    + "request" + snippetSuffix(snippet) + "; check the url, its parameters and the headers");
        }
    }

    /** The GET of {@code uri} with the headers; IllegalArgumentException when a header cannot be sent. */
    private HttpRequest requestTo(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(timeout);
        headers.forEach(builder::header);
        return builder.build();
    }

    /**
     * Where the redirect {@code response} to {@code from} leads, when it is the {@code redirects}-th of the page and
     * stays on the same origin; else a malformed response naming both origins.
     */
    private RestRequest redirected(RestRequest from, HttpResponse<InputStream> response, int redirects) {
        close(response.body());
        String redirect = "HTTP " + response.statusCode() + " from " + from.describe() + " redirects";
        String location = response.headers().firstValue("Location").orElse("").trim();
        if (location.isEmpty()) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, redirect + " without a Location header; set "
                    + "source.rest.url to the API's address");
        }
        URI target;
        try {
            target = from.uri().resolve(location);
        } catch (IllegalArgumentException e) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, redirect + " to '" + secrets.mask(location)
                    + "', which is not a URL; set source.rest.url to the API's address");
        }
        String shown = secrets.mask(target.toString());
        if (!Origins.same(from.uri(), target)) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, redirect + " to " + shown
                    + Origins.refusal(from.uri(), target) + "; if that is the API's address, set source.rest.url to "
                    + "it (the final URL, after any redirects)");
        }
        if (redirects > MAX_REDIRECTS) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, redirect + " to " + shown + ", the "
                    + redirects + "th redirect in a row for one page; a page follows at most " + MAX_REDIRECTS
                    + ": set source.rest.url to the API's final URL");
        }
        return new RestRequest(target, shown);
    }

    private JsonNode parse(HttpResponse<InputStream> response, RestRequest request, int number) {
        String where = "page " + number + " (" + request.describe() + ")";
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > maxBytes) {
            close(response.body());
            throw tooLarge(where, declared + " bytes");
        }
        BoundedInputStream body = new BoundedInputStream(response.body(), maxBytes);
        // A server that sends its headers and then stalls must not hang the fetch: the body, too, has timeoutSeconds.
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            close(response.body());
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (body) {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new SourceException(Kind.MALFORMED_RESPONSE, where + " has an empty body; expected JSON");
            }
            return node;
        } catch (BoundedInputStream.TooLarge e) {
            throw tooLarge(where, "more than " + maxBytes + " bytes");
        } catch (JsonProcessingException e) {
            if (body.exceeded()) {
                throw tooLarge(where, "more than " + maxBytes + " bytes");
            }
            String type = secrets.mask(response.headers().firstValue("Content-Type").orElse("none"));
            throw new SourceException(Kind.MALFORMED_RESPONSE, where + " is not JSON (Content-Type: " + type + "): "
                    + secrets.mask(e.getOriginalMessage().replaceAll("\\s+", " ")) + " at line "
                    + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "; check that the url is the API's JSON endpoint", e);
        } catch (IOException e) {
            if (body.exceeded()) {
                throw tooLarge(where, "more than " + maxBytes + " bytes");
            }
            if (expired.get()) {
                throw new SourceException(Kind.UNREACHABLE, where + " did not arrive in full within "
                        + timeout.toSeconds() + " s (timeoutSeconds): " + body.count() + " bytes came; the API "
                        + "stalled, or raise timeoutSeconds for large pages", e);
            }
            throw new SourceException(Kind.UNREACHABLE, where + " broke off after " + body.count() + " bytes: "
                    + why(e), e);
        } finally {
            deadline.cancel(false);
        }
    }

    private SourceException tooLarge(String where, String size) {
        return new SourceException(Kind.TOO_LARGE, where + " is " + size + ", over source.rest.maxResponseBytes ("
                + maxBytes + "); raise it, or ask for smaller pages (e.g. a lower page size)");
    }

    private void pause(Duration wait, String what) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(Kind.UNAVAILABLE, what + " was interrupted while waiting to try again", e);
        }
    }

    private String why(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + timeout.toSeconds() + " s (timeoutSeconds)";
        }
        if (e instanceof HttpTimeoutException) {
            return "no response within " + timeout.toSeconds() + " s (timeoutSeconds)";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "the host name does not resolve (DNS)";
            }
        }
        if (e instanceof ConnectException) {
            return "the connection was refused";
        }
        return e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + secrets.mask(e.getMessage()) + ")");
    }

    private static String times(int attempts) {
        return attempts == 1 ? "on the only attempt" : "on each of " + attempts + " attempts";
    }

    private static String snippetSuffix(String snippet) {
        return snippet.isEmpty() ? "" : ": " + snippet;
    }

    /** The first 200 characters of an error body, on one line. */
    private static String snippet(InputStream body) {
        try (body) {
            byte[] start = body.readNBytes(SNIPPET * 4);
            String text = new String(start, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
            return text.length() > SNIPPET ? text.substring(0, SNIPPET) + "…" : text;
        } catch (IOException e) {
            return "";
        }
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // nothing to do: the connection is dropped
        }
    }
}
