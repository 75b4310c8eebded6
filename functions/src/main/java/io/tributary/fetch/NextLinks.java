package io.tributary.fetch;

import io.tributary.fetch.SourceException.Kind;
import java.net.URI;
import java.util.Locale;

/**
 * Turns a next-page link a server gave (absolute, or relative to the page) into the next request, on the page's own
 * origin only: the request's headers carry credentials.
 */
final class NextLinks {

    private NextLinks() {
    }

    static RestRequest resolve(Page page, String link, String from, Secrets secrets) {
        URI next;
        try {
            next = page.request().uri().resolve(link.trim());
        } catch (IllegalArgumentException e) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, "the next link in " + from + " of " + page.where()
                    + " is not a URL: '" + secrets.mask(link) + "'");
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, "the next link in " + from + " of " + page.where()
                    + " is not an http(s) URL: '" + secrets.mask(link) + "'");
        }
        URI base = page.request().uri();
        if (!Origins.same(base, next)) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, "the next link in " + from + " of " + page.where()
                    + " is " + secrets.mask(next.toString()) + Origins.refusal(base, next) + "; if the API pages on "
                    + "that origin, set source.rest.url to it");
        }
        return new RestRequest(next, secrets.mask(next.toString()));
    }
}
