package io.tributary.port;

import java.util.Map;

/**
 * The computes the app was given, by kind ({@code databricks}, {@code synapse}, {@code azureml}), each from its app
 * setting; a kind without its setting has none.
 */
public final class JobComputes {

    /** The app setting that gives each kind of compute its workspace. */
    public static final Map<String, String> SETTINGS = Map.of(
            "databricks", "TRIBUTARY_DATABRICKS_URL",
            "synapse", "TRIBUTARY_SYNAPSE_ENDPOINT",
            "azureml", "TRIBUTARY_AZUREML_WORKSPACE_ID");

    private final Map<String, JobCompute> computes;

    public JobComputes(Map<String, JobCompute> computes) {
        this.computes = Map.copyOf(computes);
    }

    /** No compute at all. */
    public static JobComputes none() {
        return new JobComputes(Map.of());
    }

    /**
     * The compute of {@code kind}.
     *
     * @throws JobException {@code rejected}, naming the setting to set, when the app has none of that kind
     */
    public JobCompute of(String kind) {
        JobCompute compute = computes.get(kind);
        if (compute == null) {
            throw new JobException(JobException.Kind.REJECTED, "the app has no " + kind + " workspace to run the job "
                    + "on: set the app setting " + SETTINGS.get(kind) + " (see docs/jobs.md), then rerun the run",
                    false, null);
        }
        return compute;
    }
}
