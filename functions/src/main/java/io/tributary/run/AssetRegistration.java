package io.tributary.run;

import java.time.Instant;
import java.util.List;

/**
 * What became of the registration of a run's table version as Azure Machine Learning data assets.
 *
 * @param status {@code registered} (or found registered by an earlier delivery), or {@code failed} (the commit
 *               stands; {@code tributary rerun} does not help, registering again by hand does)
 * @param assets the data asset versions, {@code name:version}
 * @param detail why it failed; null when registered
 */
public record AssetRegistration(String status, List<String> assets, String detail, Instant at) {

    public AssetRegistration {
        assets = List.copyOf(assets);
    }
}
