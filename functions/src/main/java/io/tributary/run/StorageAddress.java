package io.tributary.run;

/**
 * Where the app's storage account is, for the URIs a job is given: {@code abfss://{container}@{account}.dfs.core.
 * windows.net/{path}} (what Spark, Databricks and Synapse read) and {@code {blobEndpoint}/{container}/{path}}.
 *
 * @param account      the account's name ({@code devstoreaccount1} on Azurite)
 * @param blobEndpoint the blob service's URL, without a trailing {@code /}
 */
public record StorageAddress(String account, String blobEndpoint) {

    public StorageAddress {
        blobEndpoint = blobEndpoint.endsWith("/") ? blobEndpoint.substring(0, blobEndpoint.length() - 1) : blobEndpoint;
    }

    /** The {@code abfss://} URI of {@code path} (a blob, or a folder ending in {@code /}) in {@code container}. */
    public String uri(String container, String path) {
        return "abfss://" + container + "@" + account + ".dfs.core.windows.net/" + path;
    }

    /** The https (on Azurite, http) URL of {@code path} in {@code container}. */
    public String url(String container, String path) {
        return blobEndpoint + "/" + container + "/" + path;
    }
}
