package io.tributary.storage;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach the storage account named by an app-setting prefix (e.g. {@code AzureWebJobsStorage}): a connection
 * string when one is given (locally, Azurite), else identity-based, as the Functions host reads the same settings:
 * {@code AzureWebJobsStorage__blobServiceUri}, {@code __queueServiceUri} and {@code __tableServiceUri} (or
 * {@code __accountName} for all three), reached with a Microsoft Entra token ({@code DefaultAzureCredential}); with
 * {@code __credential = managedidentity} and {@code __clientId}, the token is the user-assigned identity's. No key.
 *
 * @param connectionString set for key-based access, else null
 * @param blobEndpoint     the blob service endpoint
 * @param queueEndpoint    the queue service endpoint
 * @param tableEndpoint    the table service endpoint (run history); with identity, {@code __tableServiceUri}, else
 *                         the account's, else the blob endpoint's with {@code .table.} for {@code .blob.}
 * @param clientId         with identity, the client id of the user-assigned managed identity to use ({@code __clientId});
 *                         null for the default chain (a system-assigned identity in Azure, a developer's login locally)
 */
public record StorageAccount(String connectionString, URI blobEndpoint, URI queueEndpoint, URI tableEndpoint,
                             String clientId) {

    /** The only {@code __credential} value the Functions host knows. */
    public static final String MANAGED_IDENTITY = "managedidentity";

    /**
     * Azurite's well-known development account. Its key is published in Azurite's documentation and
     * opens nothing but a local emulator.
     */
    public static final String AZURITE_ACCOUNT = "devstoreaccount1";
    public static final String AZURITE_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /** The connection string of an Azurite listening on {@code host} with the given ports. */
    public static String azuriteConnectionString(String host, int blobPort, int queuePort, int tablePort) {
        return "DefaultEndpointsProtocol=http;AccountName=" + AZURITE_ACCOUNT + ";AccountKey=" + AZURITE_KEY
                + ";BlobEndpoint=http://" + host + ":" + blobPort + "/" + AZURITE_ACCOUNT
                + ";QueueEndpoint=http://" + host + ":" + queuePort + "/" + AZURITE_ACCOUNT
                + ";TableEndpoint=http://" + host + ":" + tablePort + "/" + AZURITE_ACCOUNT + ";";
    }

    /**
     * Reads the account from settings under {@code prefix}: the connection string {@code prefix} when set, else the
     * identity-based settings {@code prefix__*}.
     *
     * @param lookup reads one setting
     * @throws IllegalStateException saying which settings to set, when none or only some are
     */
    public static StorageAccount from(String prefix, java.util.function.Function<String, Optional<String>> lookup) {
        java.util.function.Function<String, Optional<String>> setting =
                name -> lookup.apply(name).map(String::trim).filter(v -> !v.isEmpty());
        Optional<String> connection = setting.apply(prefix);
        if (connection.isPresent()) {
            String value = connection.get();
            if (value.equalsIgnoreCase("UseDevelopmentStorage=true")) {
                value = azuriteConnectionString("127.0.0.1", 10000, 10001, 10002);
            }
            return new StorageAccount(value, endpoint(value, "BlobEndpoint", "blob"),
                    endpoint(value, "QueueEndpoint", "queue"), endpoint(value, "TableEndpoint", "table"), null);
        }
        Optional<String> account = setting.apply(prefix + "__accountName");
        Optional<URI> blob = setting.apply(prefix + "__blobServiceUri").map(URI::create)
                .or(() -> account.map(a -> URI.create("https://" + a + ".blob.core.windows.net")));
        Optional<URI> queue = setting.apply(prefix + "__queueServiceUri").map(URI::create)
                .or(() -> account.map(a -> URI.create("https://" + a + ".queue.core.windows.net")));
        Optional<URI> table = setting.apply(prefix + "__tableServiceUri").map(URI::create)
                .or(() -> account.map(a -> URI.create("https://" + a + ".table.core.windows.net")))
                .or(() -> blob.filter(b -> b.getHost() != null && b.getHost().contains(".blob."))
                        .map(b -> URI.create(b.toString().replace(".blob.", ".table."))));
        Optional<String> credential = setting.apply(prefix + "__credential");
        Optional<String> clientId = setting.apply(prefix + "__clientId");
        if (blob.isEmpty() && queue.isEmpty() && table.isEmpty()) {
            String also = credential.or(() -> clientId).isPresent()
                    ? " (" + prefix + "__credential and __clientId say which identity, not which account)" : "";
            throw new IllegalStateException("no storage account configured: set " + prefix + " to a connection string "
                    + "(\"UseDevelopmentStorage=true\" for Azurite), or, for managed identity, " + prefix
                    + "__blobServiceUri, " + prefix + "__queueServiceUri and " + prefix + "__tableServiceUri (or "
                    + prefix + "__accountName)" + also);
        }
        java.util.List<String> missing = new java.util.ArrayList<>();
        if (blob.isEmpty()) {
            missing.add(prefix + "__blobServiceUri");
        }
        if (queue.isEmpty()) {
            missing.add(prefix + "__queueServiceUri");
        }
        if (table.isEmpty()) {
            missing.add(prefix + "__tableServiceUri");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the identity-based storage settings are incomplete: set "
                    + String.join(" and ", missing) + " too (or " + prefix + "__accountName instead of the URIs)");
        }
        if (credential.isPresent() && !credential.get().equalsIgnoreCase(MANAGED_IDENTITY)) {
            throw new IllegalStateException(prefix + "__credential is '" + credential.get() + "'; the only value is '"
                    + MANAGED_IDENTITY + "' (with " + prefix + "__clientId for a user-assigned identity)");
        }
        if (clientId.isPresent() && credential.isEmpty()) {
            // The Functions host reads __clientId only beside __credential: without it, its triggers would use
            // another identity than Tributary's own clients.
            throw new IllegalStateException(prefix + "__clientId is set without " + prefix + "__credential: set "
                    + prefix + "__credential to '" + MANAGED_IDENTITY + "' too, as the Functions host needs it to "
                    + "use that identity");
        }
        return new StorageAccount(null, blob.get(), queue.get(), table.get(), clientId.orElse(null));
    }

    /**
     * How the token for identity-based access is obtained: {@code DefaultAzureCredential}, pinned to the user-assigned
     * identity when {@link #clientId()} is set (else the system-assigned one, or locally a developer's login).
     *
     * @param builder a fresh builder (a seam for tests)
     * @return {@code builder}, configured
     */
    public com.azure.identity.DefaultAzureCredentialBuilder configure(com.azure.identity.DefaultAzureCredentialBuilder builder) {
        if (clientId != null) {
            builder.managedIdentityClientId(clientId);
        }
        return builder;
    }

    public boolean usesIdentity() {
        return connectionString == null;
    }

    private static URI endpoint(String connectionString, String key, String service) {
        String protocol = "https";
        String accountName = null;
        String suffix = "core.windows.net";
        for (String part : connectionString.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = part.substring(0, eq).trim();
            String v = part.substring(eq + 1).trim();
            if (k.equalsIgnoreCase(key)) {
                return URI.create(v);
            } else if (k.equalsIgnoreCase("DefaultEndpointsProtocol")) {
                protocol = v;
            } else if (k.equalsIgnoreCase("AccountName")) {
                accountName = v;
            } else if (k.equalsIgnoreCase("EndpointSuffix")) {
                suffix = v;
            }
        }
        if (accountName == null) {
            throw new IllegalStateException("the storage connection string has neither " + key + " nor AccountName");
        }
        return URI.create(protocol + "://" + accountName + "." + service + "." + suffix);
    }

    /** The endpoint without credentials, safe to print. */
    @Override
    public String toString() {
        return blobEndpoint.toString() + (usesIdentity() ? " (identity" + (clientId == null ? "" : " " + clientId) + ")" : "");
    }
}
