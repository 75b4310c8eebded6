package io.tributary.storage;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach the storage account named by an app-setting prefix (e.g. {@code AzureWebJobsStorage}):
 * a connection string (locally, Azurite), or service URIs reached with managed identity
 * ({@code AzureWebJobsStorage__blobServiceUri}, {@code __queueServiceUri}, {@code __tableServiceUri}, or
 * {@code __accountName}).
 *
 * @param connectionString set for key-based access, else null
 * @param blobEndpoint     the blob service endpoint
 * @param queueEndpoint    the queue service endpoint
 * @param tableEndpoint    the table service endpoint (run history); with identity, {@code __tableServiceUri}, else
 *                         the account's, else the blob endpoint's with {@code .table.} for {@code .blob.}
 */
public record StorageAccount(String connectionString, URI blobEndpoint, URI queueEndpoint, URI tableEndpoint) {

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
     * Reads the account from settings under {@code prefix}.
     *
     * @param lookup reads one setting
     * @throws IllegalStateException saying which settings to set, when none are
     */
    public static StorageAccount from(String prefix, java.util.function.Function<String, Optional<String>> lookup) {
        Optional<String> connection = lookup.apply(prefix);
        if (connection.isPresent()) {
            String value = connection.get().trim();
            if (value.equalsIgnoreCase("UseDevelopmentStorage=true")) {
                value = azuriteConnectionString("127.0.0.1", 10000, 10001, 10002);
            }
            return new StorageAccount(value, endpoint(value, "BlobEndpoint", "blob"),
                    endpoint(value, "QueueEndpoint", "queue"), endpoint(value, "TableEndpoint", "table"));
        }
        Optional<String> account = lookup.apply(prefix + "__accountName");
        Optional<URI> blob = lookup.apply(prefix + "__blobServiceUri").map(URI::create)
                .or(() -> account.map(a -> URI.create("https://" + a + ".blob.core.windows.net")));
        Optional<URI> queue = lookup.apply(prefix + "__queueServiceUri").map(URI::create)
                .or(() -> account.map(a -> URI.create("https://" + a + ".queue.core.windows.net")));
        if (blob.isEmpty() || queue.isEmpty()) {
            throw new IllegalStateException("no storage account configured: set " + prefix + " to a connection string "
                    + "(\"UseDevelopmentStorage=true\" for Azurite), or " + prefix + "__accountName (or "
                    + prefix + "__blobServiceUri and " + prefix + "__queueServiceUri) for managed identity");
        }
        URI table = lookup.apply(prefix + "__tableServiceUri").map(URI::create)
                .or(() -> account.map(a -> URI.create("https://" + a + ".table.core.windows.net")))
                .orElseGet(() -> URI.create(blob.get().toString().replace(".blob.", ".table.")));
        return new StorageAccount(null, blob.get(), queue.get(), table);
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
        return blobEndpoint.toString();
    }
}
