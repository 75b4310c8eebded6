package io.tributary.synapse;

import io.tributary.cloud.Loopback;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Synapse workspace whose Spark pools run job stages' Spark batches: its development endpoint, the Livy API version
 * its batch URLs carry, and, for links to Synapse Studio, its resource id.
 *
 * @param endpoint       the workspace's development endpoint, {@code https://{workspace}.dev.azuresynapse.net}, without
 *                       a trailing slash ({@value #ENDPOINT_SETTING}); plain http only on the loopback address, where a
 *                       stand-in answers ({@link Loopback})
 * @param livyApiVersion the path segment {@code livyApi/versions/{v}} ({@value #API_VERSION_SETTING}, else
 *                       {@value #DEFAULT_API_VERSION})
 * @param workspaceId    the workspace's resource id ({@value #WORKSPACE_ID_SETTING}), or null: without it a batch's
 *                       link is its Spark UI's address when Synapse gives one, not its Synapse Studio page
 */
public record SynapseTarget(URI endpoint, String livyApiVersion, String workspaceId) {

    /** The app setting naming the workspace by its development endpoint; unset or empty: no Synapse compute. */
    public static final String ENDPOINT_SETTING = "TRIBUTARY_SYNAPSE_ENDPOINT";
    /** The app setting holding the Livy API version, for a workspace that needs another than the default. */
    public static final String API_VERSION_SETTING = "TRIBUTARY_SYNAPSE_LIVY_API_VERSION";
    /** The app setting holding the workspace's resource id, which Synapse Studio's links name it by. */
    public static final String WORKSPACE_ID_SETTING = "TRIBUTARY_SYNAPSE_WORKSPACE_ID";
    /**
     * The Livy API version the Synapse Spark SDKs, the Azure CLI and the recorded traffic of the Java SDK's tests use,
     * and the default both published specs (2019-11-01-preview and the stable 2020-12-01) declare for it.
     */
    public static final String DEFAULT_API_VERSION = "2019-11-01-preview";
    /** What the endpoint looks like, for messages. */
    public static final String EXAMPLE = "https://myworkspace.dev.azuresynapse.net";
    /** The token audience of Synapse's data plane in Azure's public cloud: without a trailing slash before /.default. */
    public static final String PUBLIC_SCOPE = "https://dev.azuresynapse.net/.default";

    /**
     * A workspace's development endpoint in one of Azure's clouds: the workspace's name (1 to 50 lower-case letters,
     * digits and '-'), then {@code dev.azuresynapse.net} (public), {@code dev.azuresynapse.usgovcloudapi.net} or
     * {@code dev.azuresynapse.azure.cn}.
     */
    private static final Pattern HOST = Pattern.compile(
            "([a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?)\\.(dev\\.azuresynapse\\.(?:net|usgovcloudapi\\.net|azure\\.cn))");
    private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");
    private static final Pattern WORKSPACE_ID = Pattern.compile("/subscriptions/([0-9a-fA-F-]{36})/resourceGroups/"
            + "([-\\w.()]{1,90})/providers/Microsoft\\.Synapse/workspaces/([a-z0-9-]{1,50})/?", Pattern.CASE_INSENSITIVE);

    public SynapseTarget {
        endpoint = checked(endpoint);
        if (livyApiVersion == null || !VERSION.matcher(livyApiVersion).matches()) {
            throw new IllegalArgumentException("a Livy API version is a date such as " + DEFAULT_API_VERSION
                    + " or 2020-12-01, not '" + livyApiVersion + "'");
        }
        if (workspaceId != null) {
            workspaceId = checkedId(workspaceId, endpoint);
        }
    }

    /** {@link #SynapseTarget(URI, String, String)} with the default API version and no resource id. */
    public SynapseTarget(URI endpoint) {
        this(endpoint, DEFAULT_API_VERSION, null);
    }

    /**
     * The target the app settings name, or empty without {@value #ENDPOINT_SETTING}.
     *
     * @throws IllegalStateException naming the setting, when a setting does not hold what it should
     */
    public static Optional<SynapseTarget> fromSettings(Function<String, Optional<String>> settings) {
        Optional<String> endpoint = value(settings, ENDPOINT_SETTING);
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        URI url;
        try {
            url = checked(URI.create(endpoint.get()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the app setting " + ENDPOINT_SETTING + " must be the Synapse workspace's "
                    + "development endpoint, such as " + EXAMPLE + " (Synapse Studio: Manage > Workspace settings; az "
                    + "synapse workspace show -n NAME -g GROUP --query connectivityEndpoints.dev): " + reason(e,
                    endpoint.get()), e);
        }
        String version = value(settings, API_VERSION_SETTING).orElse(DEFAULT_API_VERSION);
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalStateException("the app setting " + API_VERSION_SETTING + " must be a Livy API version "
                    + "such as " + DEFAULT_API_VERSION + " (the default) or 2020-12-01, not '" + version + "'");
        }
        String id = value(settings, WORKSPACE_ID_SETTING).orElse(null);
        if (id != null) {
            try {
                id = checkedId(id, url);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the app setting " + WORKSPACE_ID_SETTING + " must be the resource id "
                        + "of the workspace " + ENDPOINT_SETTING + " names: " + e.getMessage(), e);
            }
        }
        return Optional.of(new SynapseTarget(url, version, id));
    }

    private static Optional<String> value(Function<String, Optional<String>> settings, String name) {
        return settings.apply(name).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static String reason(IllegalArgumentException e, String text) {
        return e.getMessage() != null && e.getMessage().startsWith("'") ? e.getMessage()
                : "'" + text + "' does not parse as a URL";
    }

    /** {@code endpoint} checked, without a trailing slash and with its host in lower case. */
    private static URI checked(URI endpoint) {
        String text = endpoint.toString();
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        String path = endpoint.getRawPath();
        if (endpoint.getHost() == null || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null
                || endpoint.getRawUserInfo() != null || !(path == null || path.isEmpty() || path.equals("/"))) {
            throw new IllegalArgumentException("'" + text + "' is not an endpoint: it is an https URL without a path, "
                    + "such as " + EXAMPLE);
        }
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        if (Loopback.isLoopback(endpoint)) {
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("'" + text + "' is not an http or https URL");
            }
        } else {
            if (!scheme.equals("https")) {
                throw new IllegalArgumentException("'" + text + "' is not https, and the app's token is sent to it "
                        + "(plain http is for a stand-in on this machine's loopback address only)");
            }
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a Synapse workspace's development endpoint, "
                        + "which is https://{workspace}.dev.azuresynapse.net (or .dev.azuresynapse.usgovcloudapi.net, "
                        + ".dev.azuresynapse.azure.cn), such as " + EXAMPLE + ", and the app's token for Synapse goes to "
                        + "no other host");
            }
        }
        return URI.create(scheme + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort()));
    }

    private static String checkedId(String id, URI endpoint) {
        Matcher m = WORKSPACE_ID.matcher(id.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + id + "' is not a Synapse workspace's resource id, which looks like "
                    + "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Synapse/workspaces/"
                    + "{name} (az synapse workspace show -n NAME -g GROUP --query id -o tsv prints it)");
        }
        Matcher host = HOST.matcher(endpoint.getHost());
        if (host.matches() && !host.group(1).equalsIgnoreCase(m.group(3))) {
            throw new IllegalArgumentException("'" + id + "' names the workspace " + m.group(3) + ", but the endpoint "
                    + endpoint + " is the workspace " + host.group(1) + "'s");
        }
        return "/subscriptions/" + m.group(1).toLowerCase(Locale.ROOT) + "/resourceGroups/" + m.group(2)
                + "/providers/Microsoft.Synapse/workspaces/" + m.group(3).toLowerCase(Locale.ROOT);
    }

    /**
     * The scope of the tokens the workspace takes: {@value #PUBLIC_SCOPE} in the public cloud (its audience has no
     * trailing slash, or Synapse answers 401 {@code InvalidTokenAuthenticationAudience}); the same form on its
     * development suffix in another cloud. A stand-in on the loopback address is asked with the public scope.
     */
    public String scope() {
        Matcher host = HOST.matcher(endpoint.getHost());
        return host.matches() ? "https://" + host.group(2) + "/.default" : PUBLIC_SCOPE;
    }

    /** The workspace's name, as its endpoint says it; for a stand-in, its address. */
    public String workspaceName() {
        Matcher host = HOST.matcher(endpoint.getHost());
        return host.matches() ? host.group(1) : endpoint.getAuthority();
    }

    /** {@code …/livyApi/versions/{v}/sparkPools/{pool}/batches}, for a submit. */
    public URI batches(String pool) {
        return URI.create(base(pool) + "?detailed=true");
    }

    /** One page of the pool's batches, {@code size} at most from index {@code from}, with their names and tags. */
    public URI batchList(String pool, int from, int size) {
        return URI.create(base(pool) + "?detailed=true&from=" + from + "&size=" + size);
    }

    /** One batch, with its name, tags and errors. */
    public URI batch(String pool, int id) {
        return URI.create(base(pool) + "/" + id + "?detailed=true");
    }

    /** One batch, without the query a {@code DELETE} does not take. */
    public URI batchToCancel(String pool, int id) {
        return URI.create(base(pool) + "/" + id);
    }

    private String base(String pool) {
        return endpoint + "/livyApi/versions/" + livyApiVersion + "/sparkPools/" + segment(pool) + "/batches";
    }

    /**
     * Synapse Studio's page of the batch (the shape the Azure CLI, SynapseML and Microsoft's samples build; the service
     * documents none), or empty without the workspace's resource id or outside the public cloud.
     */
    public Optional<String> studioLink(String name, String pool, int id) {
        Matcher host = HOST.matcher(endpoint.getHost());
        if (workspaceId == null || !host.matches() || !host.group(2).equals("dev.azuresynapse.net")) {
            return Optional.empty();
        }
        return Optional.of("https://web.azuresynapse.net/en/monitoring/sparkapplication/" + segment(name)
                + "?workspace=" + URLEncoder.encode(workspaceId, StandardCharsets.UTF_8) + "&livyId=" + id
                + "&sparkPoolName=" + URLEncoder.encode(pool, StandardCharsets.UTF_8));
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "Synapse workspace " + endpoint;
    }
}
