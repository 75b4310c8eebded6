package io.tributary.azureml;

import io.tributary.cloud.Loopback;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Azure Machine Learning workspace the app registers data asset versions in and runs jobs in, and the Azure
 * Resource Manager endpoint of its cloud.
 *
 * @param workspace the workspace ({@value #WORKSPACE_SETTING})
 * @param endpoint  ARM's endpoint, https, without a trailing slash ({@value #ENDPOINT_SETTING}, else
 *                  {@link #PUBLIC_CLOUD}); or plain http on this machine's loopback address, a local stand-in of ARM
 *                  ({@link Loopback})
 */
public record AzureMlTarget(AzureMlWorkspace workspace, URI endpoint) {

    /** The app setting naming the workspace by its resource id; unset or empty: nothing is registered. */
    public static final String WORKSPACE_SETTING = "TRIBUTARY_AZUREML_WORKSPACE_ID";
    /** The app setting holding ARM's endpoint, for another cloud than Azure's public one. */
    public static final String ENDPOINT_SETTING = "TRIBUTARY_AZUREML_ENDPOINT";
    /** Azure Resource Manager in Azure's public cloud. */
    public static final URI PUBLIC_CLOUD = URI.create("https://management.azure.com");
    /**
     * The current generally available version of Azure Machine Learning's ARM API (Microsoft.MachineLearningServices,
     * stable 2025-09-01): its {@code DataVersions_Get} and {@code DataVersions_CreateOrUpdate}, and {@code Jobs_Get},
     * {@code Jobs_CreateOrUpdate} and {@code Jobs_Cancel}, are the calls made with it.
     */
    public static final String API_VERSION = "2025-09-01";

    public AzureMlTarget {
        String text = endpoint.toString();
        boolean secure = "https".equalsIgnoreCase(endpoint.getScheme())
                || ("http".equalsIgnoreCase(endpoint.getScheme()) && Loopback.isLoopback(endpoint));
        if (!secure || endpoint.getHost() == null
                || endpoint.getRawQuery() != null || endpoint.getRawUserInfo() != null
                || !(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() || endpoint.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("ARM's endpoint is an https URL without a path, such as " + PUBLIC_CLOUD
                    + " (or https://management.usgovcloudapi.net, https://management.chinacloudapi.cn); not '" + text
                    + "': a token is sent to it");
        }
        endpoint = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /**
     * The target the app settings name, or empty without {@value #WORKSPACE_SETTING}.
     *
     * @throws IllegalStateException naming the setting, when a setting does not hold what it should
     */
    public static Optional<AzureMlTarget> fromSettings(Function<String, Optional<String>> settings) {
        Optional<String> id = settings.apply(WORKSPACE_SETTING).map(String::strip).filter(s -> !s.isEmpty());
        if (id.isEmpty()) {
            return Optional.empty();
        }
        AzureMlWorkspace workspace;
        try {
            workspace = AzureMlWorkspace.parse(id.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the app setting " + WORKSPACE_SETTING + " must be an Azure Machine Learning "
                    + "workspace's resource id: " + e.getMessage(), e);
        }
        String endpoint = settings.apply(ENDPOINT_SETTING).map(String::strip).filter(s -> !s.isEmpty())
                .orElse(PUBLIC_CLOUD.toString());
        try {
            return Optional.of(new AzureMlTarget(workspace, URI.create(endpoint)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the app setting " + ENDPOINT_SETTING + " must be Azure Resource Manager's "
                    + "endpoint: " + (e.getMessage().startsWith("ARM's") ? e.getMessage() : "'" + endpoint
                    + "' does not parse as a URL"), e);
        }
    }

    /** The scope of the tokens ARM takes: its endpoint's origin, {@code /.default}. */
    public String scope() {
        return endpoint.getScheme() + "://" + endpoint.getHost() + "/.default";
    }

    /** The URL of version {@code version} of data asset {@code name}, with the API version. */
    public URI dataVersion(String name, String version) {
        return URI.create(endpoint + workspace.resourceId() + "/data/" + segment(name) + "/versions/" + segment(version)
                + "?api-version=" + API_VERSION);
    }

    /** The URL of job {@code name} ({@code Jobs_Get}, {@code Jobs_CreateOrUpdate}), with the API version. */
    public URI job(String name) {
        return URI.create(endpoint + workspace.resourceId() + "/jobs/" + segment(name) + "?api-version=" + API_VERSION);
    }

    /** The URL that cancels job {@code name} ({@code Jobs_Cancel}), with the API version. */
    public URI jobCancel(String name) {
        return URI.create(endpoint + workspace.resourceId() + "/jobs/" + segment(name) + "/cancel?api-version="
                + API_VERSION);
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return workspace + " via " + endpoint;
    }
}
