package io.tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import com.azure.identity.DefaultAzureCredentialBuilder;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the storage settings resolve: a connection string when one is given, else identity-based service URIs. */
class StorageAccountTest {

    private static final String PREFIX = "AzureWebJobsStorage";
    private static final String CLIENT_ID = "8f0c2a4e-1b7d-4c3e-9a55-2d6f10b3c7e1";

    private static StorageAccount resolve(Map<String, String> settings) {
        return StorageAccount.from(PREFIX, name -> Optional.ofNullable(settings.get(name)));
    }

    private static String failure(Map<String, String> settings) {
        return assertThrows(IllegalStateException.class, () -> resolve(settings)).getMessage();
    }

    @Test
    void aConnectionStringIsUsedAsItIs() {
        String connection = "DefaultEndpointsProtocol=https;AccountName=tribdata;AccountKey=a2V5;EndpointSuffix=core.windows.net";
        StorageAccount account = resolve(Map.of(PREFIX, connection,
                PREFIX + "__blobServiceUri", "https://other.blob.core.windows.net"));
        assertEquals(connection, account.connectionString());
        assertFalse(account.usesIdentity());
        assertEquals(URI.create("https://tribdata.blob.core.windows.net"), account.blobEndpoint());
        assertEquals(URI.create("https://tribdata.queue.core.windows.net"), account.queueEndpoint());
        assertEquals(URI.create("https://tribdata.table.core.windows.net"), account.tableEndpoint());
        assertNull(account.clientId());
    }

    @Test
    void developmentStorageIsAzuriteOnItsDefaultPorts() {
        StorageAccount account = resolve(Map.of(PREFIX, "UseDevelopmentStorage=true"));
        assertEquals(StorageAccount.azuriteConnectionString("127.0.0.1", 10000, 10001, 10002), account.connectionString());
        assertEquals(URI.create("http://127.0.0.1:10000/devstoreaccount1"), account.blobEndpoint());
        assertEquals(URI.create("http://127.0.0.1:10001/devstoreaccount1"), account.queueEndpoint());
        assertEquals(URI.create("http://127.0.0.1:10002/devstoreaccount1"), account.tableEndpoint());
        assertFalse(account.usesIdentity());
    }

    @Test
    void serviceUrisWithoutAClientIdUseTheDefaultIdentity() {
        StorageAccount account = resolve(Map.of(
                PREFIX + "__blobServiceUri", "https://tribdata.blob.core.windows.net",
                PREFIX + "__queueServiceUri", "https://tribdata.queue.core.windows.net",
                PREFIX + "__tableServiceUri", "https://tribdata.table.core.windows.net"));
        assertTrue(account.usesIdentity());
        assertNull(account.connectionString());
        assertEquals(URI.create("https://tribdata.blob.core.windows.net"), account.blobEndpoint());
        assertEquals(URI.create("https://tribdata.queue.core.windows.net"), account.queueEndpoint());
        assertEquals(URI.create("https://tribdata.table.core.windows.net"), account.tableEndpoint());
        assertNull(account.clientId());
        assertEquals("https://tribdata.blob.core.windows.net (identity)", account.toString());
    }

    @Test
    void serviceUrisWithAClientIdUseThatUserAssignedIdentity() {
        StorageAccount account = resolve(Map.of(
                PREFIX + "__blobServiceUri", "https://tribdata.blob.core.windows.net/",
                PREFIX + "__queueServiceUri", "https://tribdata.queue.core.windows.net/",
                PREFIX + "__tableServiceUri", "https://tribdata.table.core.windows.net/",
                PREFIX + "__credential", "managedidentity",
                PREFIX + "__clientId", " " + CLIENT_ID + " "));
        assertTrue(account.usesIdentity());
        assertEquals(CLIENT_ID, account.clientId());
        assertEquals(URI.create("https://tribdata.queue.core.windows.net/"), account.queueEndpoint());
        assertEquals("https://tribdata.blob.core.windows.net/ (identity " + CLIENT_ID + ")", account.toString());
    }

    @Test
    void theTableUriFollowsTheBlobUriWhenNotGiven() {
        StorageAccount account = resolve(Map.of(
                PREFIX + "__blobServiceUri", "https://tribdata.blob.core.windows.net",
                PREFIX + "__queueServiceUri", "https://tribdata.queue.core.windows.net"));
        assertEquals(URI.create("https://tribdata.table.core.windows.net"), account.tableEndpoint());
    }

    @Test
    void anAccountNameGivesAllThreeServices() {
        StorageAccount account = resolve(Map.of(PREFIX + "__accountName", "tribdata", PREFIX + "__credential",
                "managedidentity", PREFIX + "__clientId", CLIENT_ID));
        assertTrue(account.usesIdentity());
        assertEquals(URI.create("https://tribdata.blob.core.windows.net"), account.blobEndpoint());
        assertEquals(URI.create("https://tribdata.queue.core.windows.net"), account.queueEndpoint());
        assertEquals(URI.create("https://tribdata.table.core.windows.net"), account.tableEndpoint());
        assertEquals(CLIENT_ID, account.clientId());
    }

    @Test
    void aClientIdWithoutTheCredentialSettingIsRefusedAsTheFunctionsHostWouldIgnoreIt() {
        assertEquals("AzureWebJobsStorage__clientId is set without AzureWebJobsStorage__credential: set "
                + "AzureWebJobsStorage__credential to 'managedidentity' too, as the Functions host needs it to use that "
                + "identity", failure(Map.of(PREFIX + "__accountName", "tribdata", PREFIX + "__clientId", CLIENT_ID)));
    }

    @Test
    void aBlobUriWithoutAQueueUriNamesTheMissingSetting() {
        String message = failure(Map.of(PREFIX + "__blobServiceUri", "https://tribdata.blob.core.windows.net",
                PREFIX + "__tableServiceUri", "https://tribdata.table.core.windows.net"));
        assertEquals("the identity-based storage settings are incomplete: set AzureWebJobsStorage__queueServiceUri too "
                + "(or AzureWebJobsStorage__accountName instead of the URIs)", message);
    }

    @Test
    void aQueueUriAloneNamesBlobAndTable() {
        String message = failure(Map.of(PREFIX + "__queueServiceUri", "https://tribdata.queue.core.windows.net"));
        assertEquals("the identity-based storage settings are incomplete: set AzureWebJobsStorage__blobServiceUri and "
                + "AzureWebJobsStorage__tableServiceUri too (or AzureWebJobsStorage__accountName instead of the URIs)",
                message);
    }

    @Test
    void aBlobUriThatIsNotAzuresNeedsItsTableUri() {
        String message = failure(Map.of(PREFIX + "__blobServiceUri", "http://127.0.0.1:10000/devstoreaccount1",
                PREFIX + "__queueServiceUri", "http://127.0.0.1:10001/devstoreaccount1"));
        assertTrue(message.contains("set AzureWebJobsStorage__tableServiceUri too"), message);
    }

    @Test
    void nothingSetSaysWhatToSet() {
        String message = failure(Map.of());
        assertEquals("no storage account configured: set AzureWebJobsStorage to a connection string "
                + "(\"UseDevelopmentStorage=true\" for Azurite), or, for managed identity, "
                + "AzureWebJobsStorage__blobServiceUri, AzureWebJobsStorage__queueServiceUri and "
                + "AzureWebJobsStorage__tableServiceUri (or AzureWebJobsStorage__accountName)", message);
    }

    @Test
    void anIdentityWithoutAnAccountSaysTheAccountIsMissing() {
        String message = failure(Map.of(PREFIX + "__credential", "managedidentity", PREFIX + "__clientId", CLIENT_ID));
        assertTrue(message.startsWith("no storage account configured: "), message);
        assertTrue(message.endsWith("(AzureWebJobsStorage__credential and __clientId say which identity, not which account)"),
                message);
    }

    @Test
    void anEmptyConnectionStringCountsAsUnset() {
        StorageAccount account = resolve(Map.of(PREFIX, "  ", PREFIX + "__accountName", "tribdata"));
        assertTrue(account.usesIdentity());
        assertEquals(URI.create("https://tribdata.blob.core.windows.net"), account.blobEndpoint());
    }

    @Test
    void anUnknownCredentialIsRefused() {
        String message = failure(Map.of(PREFIX + "__accountName", "tribdata", PREFIX + "__credential", "connectionstring"));
        assertEquals("AzureWebJobsStorage__credential is 'connectionstring'; the only value is 'managedidentity' "
                + "(with AzureWebJobsStorage__clientId for a user-assigned identity)", message);
    }

    @Test
    void theCredentialIsPinnedToTheClientId() {
        StorageAccount account = resolve(Map.of(PREFIX + "__accountName", "tribdata",
                PREFIX + "__credential", "managedidentity", PREFIX + "__clientId", CLIENT_ID));
        DefaultAzureCredentialBuilder builder = mock(DefaultAzureCredentialBuilder.class);
        assertSame(builder, account.configure(builder));
        verify(builder).managedIdentityClientId(CLIENT_ID);
    }

    @Test
    void withoutAClientIdTheCredentialIsTheDefaultChain() {
        StorageAccount account = resolve(Map.of(PREFIX + "__accountName", "tribdata"));
        DefaultAzureCredentialBuilder builder = mock(DefaultAzureCredentialBuilder.class);
        assertSame(builder, account.configure(builder));
        verifyNoInteractions(builder);
    }
}
