package io.tributary.azureml;

import static io.tributary.azureml.ArmServer.error;
import static io.tributary.azureml.ArmServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.tributary.cloud.CallRetry;
import io.tributary.fetch.RetryPolicy;
import io.tributary.port.DataAssetException;
import io.tributary.port.DataAssetException.Kind;
import io.tributary.port.DataAssetVersion;
import io.tributary.port.DataAssets.Registration;
import io.tributary.run.Json;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import reactor.core.publisher.Mono;
import io.tributary.testing.TestCredential;

/**
 * The Azure ML client against a loopback HTTPS server that answers as Azure Resource Manager's
 * {@code DataVersions_Get} and {@code DataVersions_CreateOrUpdate} do: every request's method, path, API version,
 * body and bearer token are checked, every failure's classified message too, and no message carries a token. The
 * waits between attempts are recorded, not slept.
 */
class AzureMlDataAssetsTest {

    private static final String WORKSPACE = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg"
            + "/providers/Microsoft.MachineLearningServices/workspaces/ml-prod";
    private static final String VERSION = WORKSPACE + "/data/orders-train/versions/7";
    private static final String QUERY = "api-version=2025-09-01";
    private static final String WHERE = "in Azure ML workspace " + WORKSPACE;
    private static final String RUN = "20261122T073242Z-a3f6fba34e";
    private static final String DATA = "azureml://datastores/tributary_training/paths/orders/train/v7/";
    private static final DataAssetVersion ASSET = new DataAssetVersion("orders-train", "7", URI.create(DATA),
            "orders, train split, table version 7", Map.of("tributary.run-id", RUN, "tributary.table-version", "7",
            "tributary.pipeline", "orders"));
    private static final String BODY = "{\"properties\":{\"dataType\":\"mltable\",\"dataUri\":\"" + DATA + "\","
            + "\"description\":\"orders, train split, table version 7\",\"tags\":{\"tributary.pipeline\":\"orders\","
            + "\"tributary.run-id\":\"" + RUN + "\",\"tributary.table-version\":\"7\"},\"isAnonymous\":false}}";
    /** 1 s doubling without jitter, four requests, a minute of waiting. */
    private static final CallRetry RETRY = new CallRetry(4, Duration.ofSeconds(60), Duration.ofSeconds(5),
            new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofSeconds(60), () -> 1.0,
                    Clock.systemUTC()));
    private static final String IMMUTABLE = "a workspace's data asset versions cannot be changed, and this one "
            + "belongs to another commit (another pipeline registering under the same name, or a table written "
            + "anew): give this pipeline's data asset another name, or, if that version was registered by mistake, "
            + "delete it in the workspace";
    /** How Azure ML answers a GET of a version it does not have. */
    private static final ArmServer.Answer NO_SUCH_VERSION = error(404, "UserError",
            "Could not find asset with ID: azureml://subscriptions/…/data/orders-train/versions/7");

    private final ArmServer server = new ArmServer();
    private final TestCredential credential = new TestCredential();
    private final List<Duration> waits = new ArrayList<>();

    @AfterEach
    void close() {
        server.close();
    }

    private AzureMlDataAssets assets(CallRetry retry, TokenCredential tokens) {
        return new AzureMlDataAssets(new AzureMlTarget(AzureMlWorkspace.parse(WORKSPACE), server.endpoint()), tokens,
                server.client(), retry, waits::add, Clock.systemUTC());
    }

    private AzureMlDataAssets assets() {
        return assets(RETRY, credential);
    }

    /** A version as ARM's GET answers it ({@code DataVersionBaseResource}). */
    private static ArmServer.Answer registered(String dataUri, Map<String, String> tags) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("dataType", "mltable");
        properties.put("dataUri", dataUri);
        properties.put("description", "registered earlier");
        properties.put("tags", tags);
        properties.put("properties", Map.of());
        properties.put("isAnonymous", false);
        properties.put("isArchived", false);
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("id", VERSION);
        resource.put("name", "7");
        resource.put("type", "Microsoft.MachineLearningServices/workspaces/data/versions");
        resource.put("properties", properties);
        resource.put("systemData", Map.of("createdAt", "2026-11-22T07:33:00Z", "createdByType", "Application"));
        return json(200, Json.compact(resource));
    }

    private static ArmServer.Answer created() {
        return json(201, "{\"id\":\"" + VERSION + "\",\"name\":\"7\",\"properties\":" + BODY.substring(14));
    }

    /** The failure {@code register} ends in, after checking that its message carries no token. */
    private DataAssetException failure(Executable register) {
        DataAssetException e = assertThrows(DataAssetException.class, register);
        assertFalse(e.getMessage().contains(TestCredential.TOKEN_TEXT), e.getMessage());
        assertFalse(String.valueOf(e.getCause()).contains(TestCredential.TOKEN_TEXT));
        return e;
    }

    private List<String> methods() {
        return server.requests().stream().map(ArmServer.Request::method).toList();
    }

    @Test
    void aVersionNotYetRegisteredIsCreatedAsAnMlTableWithTheAppsToken() {
        server.answer(NO_SUCH_VERSION, created());

        assertEquals(Registration.CREATED, assets().register(ASSET));

        List<ArmServer.Request> requests = server.requests();
        assertEquals(List.of("GET", "PUT"), methods());
        for (ArmServer.Request request : requests) {
            assertEquals(List.of(VERSION, QUERY, "Bearer eyJ.test-token-1"),
                    List.of(request.path(), request.query(), request.authorization()));
        }
        assertEquals("", requests.get(0).body());
        assertEquals(BODY, requests.get(1).body());
        assertEquals("application/json; charset=utf-8", requests.get(1).contentType());
        assertEquals(List.of("https://127.0.0.1/.default"), credential.scopes, "the token is for ARM's scope");
        assertEquals(List.of(), waits);
    }

    @Test
    void theVersionAlreadyRegisteredAsThisCommitIsLeftAsItIs() {
        Map<String, String> tags = new LinkedHashMap<>(ASSET.tags());
        tags.put("owner", "data-team"); // a tag someone added in the studio
        server.answer(registered(DATA.substring(0, DATA.length() - 1), tags));

        assertEquals(Registration.ALREADY_REGISTERED, assets().register(ASSET));

        assertEquals(List.of("GET"), methods(), "nothing is written: the data URI, a trailing / aside, and every tag "
                + "of this commit are the same, and the description and other tags do not count");
    }

    @Test
    void aVersionRegisteredForAnotherCommitIsAConflictSayingWhatDiffers() {
        server.answer(registered("azureml://datastores/tributary_training/paths/orders/train/v6/",
                Map.of("tributary.run-id", "20261121T020000Z-0123456789", "tributary.table-version", "7")));

        DataAssetException e = failure(() -> assets().register(ASSET));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: data asset orders-train:7 is already registered " + WHERE + " with data URI "
                + "azureml://datastores/tributary_training/paths/orders/train/v6/ (this commit's: " + DATA + "), no tag "
                + "tributary.pipeline (this commit's: 'orders'), tag tributary.run-id '20261121T020000Z-0123456789' "
                + "(this commit's: '" + RUN + "'); " + IMMUTABLE, e.getMessage());
        assertEquals(List.of("GET"), methods(), "nothing is written over it");
    }

    @Test
    void aConflictTheServiceFindsIsRejected() {
        server.answer(NO_SUCH_VERSION, error(409, "UserError",
                "A data version with this name and version already exists with different properties."));

        DataAssetException e = failure(() -> assets().register(ASSET));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: data asset orders-train:7 " + WHERE + " conflicts with the version registered there "
                + "(UserError: A data version with this name and version already exists with different properties.); "
                + IMMUTABLE, e.getMessage());
    }

    @Test
    void aVersionRegisteredBetweenTheLookUpAndThePutAsThisCommitIsAlreadyRegistered() {
        server.answer(NO_SUCH_VERSION, registered(DATA, ASSET.tags()));

        assertEquals(Registration.ALREADY_REGISTERED, assets().register(ASSET));
        assertEquals(List.of("GET", "PUT"), methods());
    }

    @Test
    void aTokenArmRefusesIsReplacedOnceThenItIsACredentialsFailure() {
        ArmServer.Answer invalid = error(401, "InvalidAuthenticationToken", "The access token is invalid.");
        server.answer(invalid, invalid);

        DataAssetException e = failure(() -> assets().register(ASSET));

        assertEquals(List.of(Kind.CREDENTIALS, false), List.of(e.kind(), e.retryable()));
        assertEquals("credentials: cannot read data asset orders-train:7 " + WHERE + ": ARM does not take the app's "
                + "token (HTTP 401, InvalidAuthenticationToken: The access token is invalid.): check that "
                + "TRIBUTARY_AZUREML_ENDPOINT is the workspace's cloud (" + server.endpoint() + " now) and that the "
                + "identity (AzureWebJobsStorage__clientId) is of the workspace's tenant", e.getMessage());
        assertEquals(List.of("Bearer eyJ.test-token-1", "Bearer eyJ.test-token-2"),
                server.requests().stream().map(ArmServer.Request::authorization).toList());
    }

    @Test
    void aForbiddenRegistrationNamesTheRoleTheIdentityNeeds() {
        server.answer(NO_SUCH_VERSION, error(403, "AuthorizationFailed", "The client 'c0ffee' with object id "
                + "'c0ffee' does not have authorization to perform action "
                + "'Microsoft.MachineLearningServices/workspaces/data/versions/write' over scope '" + VERSION + "'."));

        DataAssetException e = failure(() -> assets().register(ASSET));

        assertEquals(List.of(Kind.CREDENTIALS, false), List.of(e.kind(), e.retryable()));
        assertEquals("credentials: cannot register data asset orders-train:7 " + WHERE + ": the app's identity may "
                + "not register data asset versions there (HTTP 403, AuthorizationFailed: The client 'c0ffee' with "
                + "object id 'c0ffee' does not have authorization to perform action "
                + "'Microsoft.MachineLearningServices/workspaces/data/versions/write' over scope '" + VERSION + "'.): "
                + "grant it the AzureML Data Scientist role on the workspace (infra/main.bicep does, given "
                + "azureMlWorkspaceId), then allow a few minutes for the assignment to apply", e.getMessage());
    }

    @Test
    void aForbiddenLookUpIsACredentialsFailureToo() {
        server.answer(error(403, "AuthorizationFailed", "no read"));

        DataAssetException e = failure(() -> assets().register(ASSET));

        assertEquals(Kind.CREDENTIALS, e.kind());
        assertTrue(e.getMessage().startsWith("credentials: cannot read data asset orders-train:7 " + WHERE + ": the "
                + "app's identity may not read data asset versions there (HTTP 403, AuthorizationFailed: no read): "
                + "grant it the AzureML Data Scientist role"), e.getMessage());
    }

    @Test
    void aMissingWorkspaceNamesTheSettingThatNamesIt() {
        ArmServer.Answer noWorkspace = error(404, "ResourceNotFound", "The Resource "
                + "'Microsoft.MachineLearningServices/workspaces/ml-prod' under resource group 'ml-rg' was not found.");
        server.answer(noWorkspace, noWorkspace);

        DataAssetException e = failure(() -> assets().register(ASSET));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: cannot register data asset orders-train:7: there is no Azure ML workspace " + WORKSPACE
                + " (ResourceNotFound: The Resource 'Microsoft.MachineLearningServices/workspaces/ml-prod' under "
                + "resource group 'ml-rg' was not found.); set TRIBUTARY_AZUREML_WORKSPACE_ID to the resource id of an "
                + "existing workspace (az ml workspace show -g GROUP -n NAME --query id -o tsv)", e.getMessage());
        assertEquals(List.of("GET", "PUT"), methods(), "a GET's 404 may be the version's: the PUT's is the workspace's");
    }

    @Test
    void throttlingIsWaitedOutAsRetryAfterAsks() {
        server.answer(error(429, "TooManyRequests", "Rate limit exceeded.", "Retry-After", "7"), NO_SUCH_VERSION,
                error(429, "TooManyRequests", "Rate limit exceeded.", "Retry-After", "3"), created());

        assertEquals(Registration.CREATED, assets().register(ASSET));

        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(3)), waits);
        assertEquals(List.of("GET", "GET", "PUT", "PUT"), methods());
        assertEquals(BODY, server.requests().get(3).body(), "the PUT is sent again as it was");
    }

    @Test
    void serverErrorsAreRetriedWithDoublingBackOff() {
        server.answer(error(500, "InternalServerError", "Something went wrong."),
                error(503, "ServiceUnavailable", "The service is busy."), NO_SUCH_VERSION, created());

        assertEquals(Registration.CREATED, assets().register(ASSET));

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
    }

    @Test
    void serverErrorsBeyondTheAttemptsLeaveItToALaterDelivery() {
        ArmServer.Answer busy = error(503, "ServiceUnavailable", "The service is busy.");
        server.answer(busy, busy, busy, busy, busy);

        DataAssetException e = failure(() -> assets().register(ASSET));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(e.kind(), e.retryable()));
        assertEquals("unavailable: could not look up data asset orders-train:7 " + WHERE + ": Azure Resource Manager "
                + "(127.0.0.1) answered HTTP 503 (ServiceUnavailable: The service is busy.) after 4 requests over 7 s; a "
                + "later delivery of the work tries again", e.getMessage());
        assertEquals(4, server.requests().size());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), waits);
    }

    @Test
    void aRetryAfterLongerThanARegistrationWaitsGivesUpAtOnce() {
        server.answer(error(429, "TooManyRequests", "Rate limit exceeded.", "Retry-After", "120"));

        DataAssetException e = failure(() -> assets().register(ASSET));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(e.kind(), e.retryable()));
        assertEquals("unavailable: could not look up data asset orders-train:7 " + WHERE + ": Azure Resource Manager "
                + "(127.0.0.1) answered HTTP 429 (TooManyRequests: Rate limit exceeded.), asking to wait 120 s after 1 "
                + "request; a later delivery of the work tries again", e.getMessage());
        assertEquals(List.of(), waits);
    }

    @Test
    void anUnansweredRequestTimesOutAndIsUnavailable() {
        server.answer(server.silence(), server.silence());
        CallRetry quick = new CallRetry(2, Duration.ofSeconds(60), Duration.ofMillis(300), RETRY.backoff());

        DataAssetException e = failure(() -> assets(quick, credential).register(ASSET));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(e.kind(), e.retryable()));
        assertEquals("unavailable: could not look up data asset orders-train:7 " + WHERE + ": Azure Resource Manager "
                + "(127.0.0.1) did not answer within 0.3 s after 2 requests over 1 s; a later delivery of the work "
                + "tries again", e.getMessage());
    }

    @Test
    void anUnreachableEndpointIsUnavailable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        AzureMlDataAssets unreachable = new AzureMlDataAssets(new AzureMlTarget(AzureMlWorkspace.parse(WORKSPACE),
                URI.create("https://127.0.0.1:" + closed)), credential, server.client(),
                new CallRetry(2, Duration.ofSeconds(60), Duration.ofSeconds(5), RETRY.backoff()), waits::add,
                Clock.systemUTC());

        DataAssetException e = failure(() -> unreachable.register(ASSET));

        assertEquals(List.of(Kind.UNAVAILABLE, true), List.of(e.kind(), e.retryable()));
        assertTrue(e.getMessage().startsWith("unavailable: could not look up data asset orders-train:7 " + WHERE
                + ": Azure Resource Manager (127.0.0.1) cannot be reached (ConnectException"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" after 2 requests over 1 s; a later delivery of the work tries again"));
    }

    @Test
    void noTokenIsACredentialsFailureThatALaterDeliveryMayGetPast() {
        TokenCredential none = request -> Mono.error(new IllegalStateException("ManagedIdentityCredential "
                + "authentication unavailable. No managed identity endpoint found.\nTo mitigate this issue, …"));

        DataAssetException e = failure(() -> assets(RETRY, none).register(ASSET));

        assertEquals(List.of(Kind.CREDENTIALS, true), List.of(e.kind(), e.retryable()));
        assertEquals("credentials: could not look up data asset orders-train:7 " + WHERE + ": no token for "
                + "https://127.0.0.1/.default (ManagedIdentityCredential authentication unavailable. No managed "
                + "identity endpoint found.); in Azure the app's managed identity gives it "
                + "(AzureWebJobsStorage__clientId names a user-assigned one), locally your az login does",
                e.getMessage());
        assertEquals(List.of(), server.requests(), "nothing is sent without a token");
    }

    @Test
    void aTokenQuotedInAnAnswerNeverReachesAMessage() {
        server.answer(ArmServer.echoingAuthorization(400));

        DataAssetException e = failure(() -> assets().register(ASSET));

        assertEquals(List.of(Kind.REJECTED, false), List.of(e.kind(), e.retryable()));
        assertEquals("rejected: Azure ML refused looking up data asset orders-train:7 " + WHERE + ": HTTP 400 "
                + "(BadRequest: bad header Bearer [token])", e.getMessage());
    }

    @Test
    void aRequestTheServiceRefusesIsRejectedWithItsReason() {
        server.answer(NO_SUCH_VERSION, error(400, "UserError", "Data URI must point to a folder with an MLTable file."));

        DataAssetException e = failure(() -> assets().register(ASSET));

        assertEquals("rejected: Azure ML refused registering data asset orders-train:7 " + WHERE + ": HTTP 400 "
                + "(UserError: Data URI must point to a folder with an MLTable file.)", e.getMessage());
    }

    @Test
    void aTokenIsKeptUntilItNearsItsExpiry() {
        server.answer(registered(DATA, ASSET.tags()), registered(DATA, ASSET.tags()));
        AzureMlDataAssets assets = assets();

        assets.register(ASSET);
        assets.register(ASSET);

        assertEquals(1, credential.issued());
        assertEquals(List.of("Bearer eyJ.test-token-1", "Bearer eyJ.test-token-1"),
                server.requests().stream().map(ArmServer.Request::authorization).toList());
        assertFalse(assets.toString().contains(TestCredential.TOKEN_TEXT), assets.toString());
    }

    @Test
    void aTokenWithinFiveMinutesOfItsExpiryIsRenewed() {
        AtomicInteger issued = new AtomicInteger();
        TokenCredential expiring = request -> Mono.just(new AccessToken("eyJ." + TestCredential.TOKEN_TEXT
                + issued.incrementAndGet(), OffsetDateTime.now().plusMinutes(4)));
        server.answer(registered(DATA, ASSET.tags()), registered(DATA, ASSET.tags()));
        AzureMlDataAssets assets = assets(RETRY, expiring);

        assets.register(ASSET);
        assets.register(ASSET);

        assertEquals(List.of("Bearer eyJ.test-token-1", "Bearer eyJ.test-token-2"),
                server.requests().stream().map(ArmServer.Request::authorization).toList());
    }
}
