package io.tributary.databricks;

import io.tributary.cloud.Loopback;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Azure Databricks workspace run steps hand their work to: its URL, the one the workspace's page in the Azure
 * portal shows ({@code https://adb-<workspace id>.<n>.azuredatabricks.net}), and where the Jobs API lives in it.
 *
 * @param workspace the workspace's URL, https without a path ({@value #SETTING}); http only on this machine's loopback
 *                  address, where a stand-in answers (see {@link Loopback})
 */
public record DatabricksTarget(URI workspace) {

    /** The app setting naming the workspace by its URL; unset or empty: no Databricks work can run. */
    public static final String SETTING = "TRIBUTARY_DATABRICKS_URL";
    /** What a workspace URL looks like, for messages. */
    public static final String EXAMPLE = "https://adb-1234567890123456.7.azuredatabricks.net";
    /**
     * The scope of the tokens Azure Databricks takes: the resource id of its first-party application in Microsoft
     * Entra ID, the same in every tenant and workspace.
     */
    public static final String SCOPE = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default";
    /** The Jobs API's version the client calls; the stand-in answers 2.2 too. */
    public static final String JOBS_API = "/api/2.1/jobs/";

    public DatabricksTarget {
        String text = workspace.toString();
        boolean loopback = Loopback.isLoopback(workspace);
        if (!("https".equalsIgnoreCase(workspace.getScheme()) || loopback && "http".equalsIgnoreCase(workspace.getScheme()))
                || workspace.getHost() == null || workspace.getRawUserInfo() != null || workspace.getRawQuery() != null
                || workspace.getRawFragment() != null
                || !(workspace.getRawPath() == null || workspace.getRawPath().isEmpty() || workspace.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("a Databricks workspace URL is https without a path, such as " + EXAMPLE
                    + " (the URL on the workspace's page in the Azure portal); not '" + text + "': a token is sent to it");
        }
        workspace = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /**
     * The workspace the app settings name, or empty without {@value #SETTING}.
     *
     * @throws IllegalStateException naming the setting, when it does not hold a workspace URL
     */
    public static Optional<DatabricksTarget> fromSettings(Function<String, Optional<String>> settings) {
        Optional<String> url = settings.apply(SETTING).map(String::strip).filter(s -> !s.isEmpty());
        if (url.isEmpty()) {
            return Optional.empty();
        }
        URI parsed;
        try {
            parsed = new URI(url.get());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the app setting " + SETTING + " must be an Azure Databricks workspace's URL "
                    + "such as " + EXAMPLE + "; '" + url.get() + "' does not parse as a URL", e);
        }
        try {
            return Optional.of(new DatabricksTarget(parsed));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the app setting " + SETTING + " must be an Azure Databricks workspace's URL: "
                    + e.getMessage(), e);
        }
    }

    /** The workspace's host (and port, when it has one), as messages name it: {@code adb-….azuredatabricks.net}. */
    public String host() {
        return workspace.getPort() < 0 ? workspace.getHost() : workspace.getHost() + ":" + workspace.getPort();
    }

    /** The URL of Jobs API endpoint {@code endpoint}, such as {@code runs/submit} or {@code runs/get?run_id=7}. */
    public URI jobs(String endpoint) {
        return URI.create(workspace + JOBS_API + endpoint);
    }

    @Override
    public String toString() {
        return "Databricks workspace " + host();
    }
}
