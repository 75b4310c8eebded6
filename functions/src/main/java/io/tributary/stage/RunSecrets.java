package io.tributary.stage;

import io.tributary.port.BlobStore;
import io.tributary.run.RunId;
import io.tributary.run.LogContext;
import io.tributary.run.RunLayout;
import io.tributary.run.SecretMask;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The one place that decides a run's secrets: the values of every setting its definition snapshot refers to, as
 * the app's settings have them, and credentials in URLs.
 */
final class RunSecrets {

    private static final Logger LOG = LogContext.logger(RunSecrets.class);

    private RunSecrets() {
    }

    /**
     * The mask of run {@code runId}, the values of the settings its snapshot names looked up in {@code settings}; only
     * credentials in URLs when its snapshot is missing or cannot be read.
     */
    static SecretMask of(BlobStore blobs, RunId runId, Function<String, Optional<String>> settings) {
        if (blobs == null || runId == null) {
            return SecretMask.URLS;
        }
        try {
            return blobs.read(RunLayout.RUNS, RunLayout.definition(runId))
                    .map(v -> SecretMask.of(new String(v.content(), StandardCharsets.UTF_8), settings))
                    .orElse(SecretMask.URLS);
        } catch (RuntimeException e) {
            LOG.warning("run " + runId + ": its definition snapshot could not be read to mask its secrets; only "
                    + "credentials in URLs are masked: " + SecretMask.URLS.mask(Failures.describe(e)));
            return SecretMask.URLS;
        }
    }
}
