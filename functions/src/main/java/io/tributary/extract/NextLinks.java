package io.tributary.extract;

import io.tributary.extract.SourceException.Kind;
import java.net.URI;
import java.util.Locale;

/** Turns a next-page link a server gave (absolute, or relative to the page) into the next request. */
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
        return new RestRequest(next, secrets.mask(next.toString()));
    }
}
