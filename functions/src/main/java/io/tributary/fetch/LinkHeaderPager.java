package io.tributary.fetch;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The next page's URL is in the RFC 8288 {@code Link} header, {@code <url>; rel="next"}; absent on the last page. */
final class LinkHeaderPager implements Pager {

    /** One link value: {@code <target>} and its parameters, up to the next link's {@code <}. */
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,<]+(?:\"[^\"]*\")?)*)");
    private static final Pattern REL = Pattern.compile("(?i)\\brel\\s*=\\s*(\"([^\"]*)\"|([^\\s;,]+))");

    private final Secrets secrets;

    LinkHeaderPager(Secrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public Optional<RestRequest> next(Page page, int records) {
        for (String header : page.headers().allValues("Link")) {
            Optional<String> next = nextTarget(header);
            if (next.isPresent()) {
                return Optional.of(NextLinks.resolve(page, next.get(), "the Link header", secrets));
            }
        }
        return Optional.empty();
    }

    /** The target of the link whose {@code rel} includes {@code next}, in one {@code Link} header value. */
    static Optional<String> nextTarget(String header) {
        Matcher link = LINK.matcher(header);
        while (link.find()) {
            Matcher rel = REL.matcher(link.group(2));
            while (rel.find()) {
                String rels = rel.group(2) != null ? rel.group(2) : rel.group(3);
                for (String r : rels.trim().split("\\s+")) {
                    if (r.equalsIgnoreCase("next")) {
                        return Optional.of(link.group(1));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
