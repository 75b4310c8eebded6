package io.tributary.fetch;

import java.net.URI;
import java.util.Locale;

/**
 * The origin of a URL (scheme, host and port, RFC 6454): the request's headers, which carry its credentials, are
 * only ever sent to the origin of {@code source.rest.url}; a redirect or next link to another one is refused.
 */
final class Origins {

    private Origins() {
    }

    /** {@code scheme://host:port}, lower case, with the scheme's default port made explicit. */
    static String of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        return scheme + "://" + host + (port < 0 ? "" : ":" + port);
    }

    static boolean same(URI a, URI b) {
        return of(a).equals(of(b));
    }

    /**
     * Why a request to {@code target} is refused, and how to fix it, when {@code from} led to it: "on another origin
     * (…, not …); it is not followed: …".
     */
    static String refusal(URI from, URI target) {
        boolean downgrade = of(from).startsWith("https:") && of(target).startsWith("http:");
        return ", on another origin (" + of(target) + ", not " + of(from) + ")" + "; it is not followed: the "
                + "request's headers (credentials) are never sent to another origin"
                + (downgrade ? ", nor unencrypted over http" : "");
    }
}
