package io.tributary.port;

/**
 * Registers a committed version of a pipeline's table as a version of a data asset in a machine-learning workspace
 * (Azure Machine Learning), so that training jobs name it ({@code azureml:NAME:VERSION}) rather than a storage path.
 * The stages know no more of the workspace than this.
 */
@FunctionalInterface
public interface DataAssets {

    /** No workspace: the app was given none, so nothing can be registered (callers say so, never call it). */
    DataAssets NONE = asset -> {
        throw new IllegalStateException("no Azure Machine Learning workspace is set");
    };


    /** How a registration went. */
    enum Registration {
        /** The version is new: this call created it. */
        CREATED,
        /** The version was already registered as asked (an earlier delivery of the same commit): nothing changed. */
        ALREADY_REGISTERED
    }

    /**
     * Registers {@code asset}. Idempotent: a version already registered with the same data URI and the same values
     * for every tag {@code asset} carries is left as it is ({@link Registration#ALREADY_REGISTERED}); a version of that
     * name and number registered with another data URI or other tag values is a conflict, since a workspace's data
     * asset versions are immutable.
     *
     * @throws DataAssetException classified: {@code credentials} (the identity may not register), {@code rejected}
     *                            (the workspace is not there, or the version conflicts, or the request is refused as
     *                            it is) or {@code unavailable} (the service did not answer, or asked to wait longer
     *                            than a registration waits; {@link DataAssetException#retryable()})
     */
    Registration register(DataAssetVersion asset);
}
