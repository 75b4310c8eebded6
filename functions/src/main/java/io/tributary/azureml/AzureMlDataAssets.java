package io.tributary.azureml;

import com.azure.core.credential.TokenCredential;
import io.tributary.cloud.BearerClient;
import io.tributary.cloud.BearerTokens;
import io.tributary.cloud.CallRetry;
import io.tributary.fetch.Sleeper;
import io.tributary.port.DataAssetException;
import io.tributary.port.DataAssetException.Kind;
import io.tributary.port.DataAssetVersion;
import io.tributary.port.DataAssets;
import io.tributary.run.LogContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * Registers data asset versions in an Azure Machine Learning workspace through Azure Resource Manager, with a token
 * from the app's credential ({@code DefaultAzureCredential}): {@code GET …/workspaces/{w}/data/{name}/versions/{version}}
 * says whether the version is there and as what; when it is not, {@code PUT} of the same URL creates it (an
 * {@code mltable} version of the folder). The API is {@value AzureMlTarget#API_VERSION}.
 *
 * <p>What ARM answers is classified as a source's failures are: 401/403 {@code credentials:} (the identity needs the
 * {@value #ROLE} role on the workspace); a {@code PUT} answered 404 {@code rejected:} (no such workspace, naming
 * {@value AzureMlTarget#WORKSPACE_SETTING}); the version registered as something else, or a 409,
 * {@code rejected:} (versions are immutable); other 4xx {@code rejected:}; 429, 5xx, a lost or unanswered request,
 * once {@link CallRetry} runs out, {@code unavailable:} and retryable.
 */
public final class AzureMlDataAssets implements DataAssets {

    /**
     * The least built-in role that may register data asset versions in a workspace: it may read and write the
     * workspace's assets, jobs and datastores, but not change the workspace itself or its computes.
     */
    public static final String ROLE = "AzureML Data Scientist";

    private static final Logger LOG = LogContext.logger(AzureMlDataAssets.class);

    private final AzureMlTarget target;
    private final BearerClient arm;

    /**
     * @param target     the workspace, and ARM's endpoint
     * @param credential where tokens for ARM come from (the app's {@code DefaultAzureCredential})
     * @param http       the HTTP client (a test's trusts its own server's certificate)
     */
    public AzureMlDataAssets(AzureMlTarget target, TokenCredential credential, HttpClient http, CallRetry retry,
                             Sleeper sleeper, Clock clock) {
        this.target = target;
        this.arm = new BearerClient(http, new BearerTokens(credential, target.scope(), clock), retry, sleeper,
                "Azure Resource Manager", body -> ArmError.parse(body).describe(), (credentials, message, cause) ->
                new DataAssetException(credentials ? Kind.CREDENTIALS : Kind.UNAVAILABLE, message, true, cause));
    }

    /** The registrations the app makes: {@link CallRetry#DEFAULT}, Java's HTTP client, no redirects followed. */
    public static AzureMlDataAssets create(AzureMlTarget target, TokenCredential credential) {
        return new AzureMlDataAssets(target, credential, BearerClient.http(), CallRetry.DEFAULT, Sleeper.REAL,
                Clock.systemUTC());
    }

    @Override
    public Registration register(DataAssetVersion asset) {
        URI url = target.dataVersion(asset.name(), asset.version());
        String where = "in Azure ML workspace " + target.workspace().resourceId();
        BearerClient.Answer found = arm.send("GET", url, null, "look up data asset " + asset.label() + " " + where);
        switch (found.status()) {
            case 200:
                requireSame(asset, found, where);
                LOG.info("data asset " + asset.label() + " is already registered " + where + " as this commit");
                return Registration.ALREADY_REGISTERED;
            case 404:
                break; // not registered yet (or no such workspace: the PUT tells)
            case 401:
            case 403:
                throw refused(found, "read", asset, where);
            default:
                throw rejected(found, "looking up", asset, where);
        }
        BearerClient.Answer put = arm.send("PUT", url, DataVersionBody.of(asset), "register data asset " + asset.label()
                + " " + where);
        switch (put.status()) {
            case 201:
                LOG.info("data asset " + asset.label() + " registered " + where + ": " + asset.dataUri());
                return Registration.CREATED;
            case 200:
                // Registered between the GET and the PUT (another delivery of this commit): as long as it is this one.
                requireSame(asset, put, where);
                LOG.info("data asset " + asset.label() + " is already registered " + where + " as this commit");
                return Registration.ALREADY_REGISTERED;
            case 404:
                throw new DataAssetException(Kind.REJECTED, "cannot register data asset " + asset.label() + ": there is "
                        + "no Azure ML workspace " + target.workspace().resourceId() + ArmError.parse(put.body()).describe() + "; set "
                        + AzureMlTarget.WORKSPACE_SETTING + " to the resource id of an existing workspace (az ml "
                        + "workspace show -g GROUP -n NAME --query id -o tsv)", false, null);
            case 409:
                throw new DataAssetException(Kind.REJECTED, "data asset " + asset.label() + " " + where + " conflicts "
                        + "with the version registered there" + ArmError.parse(put.body()).describe() + "; " + immutable(), false, null);
            case 401:
            case 403:
                throw refused(put, "register", asset, where);
            default:
                throw rejected(put, "registering", asset, where);
        }
    }

    /** Returns when {@code answer} describes the version {@code asset} asks for; else a conflict saying how it differs. */
    private static void requireSame(DataAssetVersion asset, BearerClient.Answer answer, String where) {
        List<String> differences;
        try {
            differences = RegisteredVersion.read(answer.body()).differencesFrom(asset);
        } catch (IllegalArgumentException e) {
            throw new DataAssetException(Kind.UNAVAILABLE, "cannot tell whether data asset " + asset.label() + " "
                    + where + " is this commit's: " + e.getMessage() + "; a later delivery of the work tries again",
                    true, e);
        }
        if (!differences.isEmpty()) {
            throw new DataAssetException(Kind.REJECTED, "data asset " + asset.label() + " is already registered "
                    + where + " with " + String.join(", ", differences) + "; " + immutable(), false, null);
        }
    }

    private static String immutable() {
        return "a workspace's data asset versions cannot be changed, and this one belongs to another commit (another "
                + "pipeline registering under the same name, or a table written anew): give this pipeline's data asset "
                + "another name, or, if that version was registered by mistake, delete it in the workspace";
    }

    private DataAssetException refused(BearerClient.Answer answer, String doing, DataAssetVersion asset, String where) {
        String why = answer.status() == 401
                ? "ARM does not take the app's token (HTTP 401" + inner(answer) + "): check that "
                + AzureMlTarget.ENDPOINT_SETTING + " is the workspace's cloud (" + target.endpoint() + " now) and that "
                + "the identity (AzureWebJobsStorage__clientId) is of the workspace's tenant"
                : "the app's identity may not " + doing + " data asset versions there (HTTP 403" + inner(answer) + "): "
                + "grant it the " + ROLE + " role on the workspace (infra/main.bicep does, given azureMlWorkspaceId), "
                + "then allow a few minutes for the assignment to apply";
        return new DataAssetException(Kind.CREDENTIALS, "cannot " + doing + " data asset " + asset.label() + " " + where
                + ": " + why, false, null);
    }

    private static DataAssetException rejected(BearerClient.Answer answer, String doing, DataAssetVersion asset,
                                               String where) {
        return new DataAssetException(Kind.REJECTED, "Azure ML refused " + doing + " data asset " + asset.label() + " "
                + where + ": HTTP " + answer.status() + ArmError.parse(answer.body()).describe(), false, null);
    }

    /** {@code ", Code: message"} of an error answer, or nothing. */
    private static String inner(BearerClient.Answer answer) {
        String described = ArmError.parse(answer.body()).describe();
        return described.isEmpty() ? "" : ", " + described.substring(2, described.length() - 1);
    }

    @Override
    public String toString() {
        return "Azure ML data assets in " + target;
    }
}
