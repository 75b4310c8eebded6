package io.tributary.fetch;

import io.tributary.run.SecretMask;

/**
 * The secrets of one fetch: the run's {@link SecretMask} (every setting its definition refers to) and the setting
 * values the fetch sends in headers or query parameters, so that any URL or text it shows (including a URL the server
 * hands back as the next page's) has them replaced by {@code ***}.
 */
final class Secrets {

    static final String MASK = SecretMask.MASK;

    private SecretMask mask;

    /** The secrets of a fetch that knows no run's settings: those it sends, and credentials in URLs. */
    Secrets() {
        this(SecretMask.URLS);
    }

    Secrets(SecretMask run) {
        this.mask = run;
    }

    void add(String value) {
        if (value != null && !value.isEmpty()) {
            mask = mask.with(value);
        }
    }

    /** {@code text} with every secret, in the forms {@link SecretMask} knows, replaced by {@code ***}. */
    String mask(String text) {
        return mask.mask(text);
    }
}
