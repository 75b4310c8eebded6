package io.tributary.cloud;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * A service endpoint on this machine's loopback address is a local stand-in of the service (the local host's
 * emulated workspaces, a test's server), never the service: it may be plain http, and it is given {@link #TOKEN}
 * rather than a token of the app's identity, so no real token ever goes to a port on this machine.
 */
public final class Loopback {

    /** The bearer token every loopback stand-in is sent, and checks. */
    public static final String TOKEN = "tributary-local-stand-in";

    private static final Set<String> HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private Loopback() {
    }

    /** Whether {@code url} points at this machine's loopback address. */
    public static boolean isLoopback(URI url) {
        return url.getHost() != null && HOSTS.contains(url.getHost().toLowerCase(java.util.Locale.ROOT));
    }

    /** The credential for {@code endpoint}: {@code app}'s, or for a loopback stand-in one that gives {@link #TOKEN}. */
    public static TokenCredential credentialFor(URI endpoint, TokenCredential app) {
        return isLoopback(endpoint) ? standIn() : app;
    }

    /** A credential that gives {@link #TOKEN}, valid for an hour from each call. */
    public static TokenCredential standIn() {
        return request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
    }
}
