package io.tributary.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.fetch.SourceException.Kind;
import java.util.Optional;

/** The next page's URL is in each body at a JSON Pointer; absent, null or "" on the last page. */
final class NextLinkPager implements Pager {

    private final String path;
    private final Secrets secrets;

    NextLinkPager(String path, Secrets secrets) {
        this.path = path;
        this.secrets = secrets;
    }

    @Override
    public Optional<RestRequest> next(Page page, int records) {
        JsonNode link = page.body().at(path);
        if (link.isMissingNode() || link.isNull() || (link.isTextual() && link.asText().isBlank())) {
            return Optional.empty();
        }
        if (!link.isTextual()) {
            throw new SourceException(Kind.MALFORMED_RESPONSE, "the next link at " + path + " of " + page.where()
                    + " is " + link.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + ", not a URL string");
        }
        return Optional.of(NextLinks.resolve(page, link.asText(), path, secrets));
    }
}
