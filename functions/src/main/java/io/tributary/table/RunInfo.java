package io.tributary.table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run a table version comes from, as its commit records it: in {@code commitInfo} (under {@code tributary}, and
 * as {@code userMetadata}, which Spark's and Databricks' table history show) and as the transaction id.
 *
 * @param sources the blobs, APIs or databases the run read, as the manifest names them (never a secret)
 */
public record RunInfo(String pipeline, String runId, String definitionHash, List<String> sources, String appVersion) {

    private static final String APP_PREFIX = "tributary/";

    public RunInfo {
        sources = List.copyOf(sources);
    }

    /** The run's transaction id in the table's log: one per pipeline and run. */
    public String appId() {
        return APP_PREFIX + pipeline + "/" + runId;
    }

    /** The run id of a transaction id that {@link #appId} made for {@code pipeline}, or null for another's. */
    static String runIdOf(String appId, String pipeline) {
        String prefix = APP_PREFIX + pipeline + "/";
        return appId.startsWith(prefix) ? appId.substring(prefix.length()) : null;
    }

    /** The commitInfo fields that name the run. */
    Map<String, Object> commitInfo() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("engineInfo", "Tributary/" + appVersion);
        info.put("userMetadata", "tributary run " + runId + " of " + pipeline);
        Map<String, Object> tributary = new LinkedHashMap<>();
        tributary.put("pipeline", pipeline);
        tributary.put("runId", runId);
        tributary.put("definitionHash", definitionHash);
        tributary.put("sources", sources);
        info.put("tributary", tributary);
        return info;
    }
}
