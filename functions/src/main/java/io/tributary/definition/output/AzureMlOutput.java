package io.tributary.definition.output;

import java.util.regex.Pattern;

/**
 * {@code output.azureml}: each version a run commits to the pipeline's table is registered in the app's Azure Machine
 * Learning workspace (the app setting {@code TRIBUTARY_AZUREML_WORKSPACE_ID}) as a version of one data asset per split.
 *
 * @param asset     the data assets' name: {@code {asset}-{split}} per split ({@code asset} alone without a split)
 * @param datastore the workspace's datastore over the {@code training} container, through which the assets' URIs
 *                  ({@code azureml://datastores/{datastore}/paths/…}) reach the files
 */
public record AzureMlOutput(String asset, String datastore) {

    /** The datastore's name when the definition gives none: the one infra/README.md registers. */
    public static final String DEFAULT_DATASTORE = "tributary_training";
    /** What Azure Machine Learning allows in a name, less the room a split's suffix needs. */
    public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,190}");
    public static final Pattern DATASTORE = Pattern.compile("[a-zA-Z0-9_]{1,255}");
}
