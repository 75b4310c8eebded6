package io.tributary.fetch;

import io.tributary.run.SecretMask;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a fetch needs besides its source's definition.
 *
 * @param parameters the run's parameters ({@code windowStart}, {@code windowEnd}, {@code watermark} and those given
 *                   with the run), which URLs and queries may use
 * @param settings   app settings by name, for {@code %NAME%} references; empty when a setting is not set
 * @param watermark  the high-water mark of the last committed run (exclusive lower bound of this run), empty for a
 *                   full load
 * @param secrets    masks the run's secrets in every text the fetch shows (messages, the URLs of its requests)
 */
public record FetchContext(Map<String, String> parameters, Function<String, Optional<String>> settings,
                           Optional<String> watermark, SecretMask secrets) {

    public FetchContext {
        parameters = Map.copyOf(parameters);
        secrets = secrets == null ? SecretMask.URLS : secrets;
    }

    /** A context whose mask knows only the settings the fetch itself sends, and credentials in URLs. */
    public FetchContext(Map<String, String> parameters, Function<String, Optional<String>> settings,
                        Optional<String> watermark) {
        this(parameters, settings, watermark, SecretMask.URLS);
    }
}
