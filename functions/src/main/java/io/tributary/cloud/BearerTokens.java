package io.tributary.cloud;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.Clock;
import java.time.Duration;

/**
 * Bearer tokens for one service's scope (Azure Resource Manager, Azure Databricks, Synapse) from a credential ({@code DefaultAzureCredential} in the app), each kept
 * until five minutes before it expires. A token is a secret: this class never prints one.
 */
public final class BearerTokens {

    private static final Duration EARLY = Duration.ofMinutes(5);

    private final TokenCredential credential;
    private final TokenRequestContext request;
    private final String scope;
    private final Clock clock;
    private AccessToken current;

    public BearerTokens(TokenCredential credential, String scope, Clock clock) {
        this.credential = credential;
        this.request = new TokenRequestContext().addScopes(scope);
        this.scope = scope;
        this.clock = clock;
    }

    /**
     * A token that is valid for five minutes more, from the credential when the one kept is not.
     *
     * @throws RuntimeException as the credential throws it (no identity, no answer from the identity endpoint)
     */
    synchronized String token() {
        if (current == null || current.getExpiresAt() == null
                || !current.getExpiresAt().toInstant().isAfter(clock.instant().plus(EARLY))) {
            AccessToken fresh = credential.getTokenSync(request);
            if (fresh == null || fresh.getToken() == null || fresh.getToken().isEmpty()) {
                throw new IllegalStateException("the credential gave no token for " + scope);
            }
            current = fresh;
        }
        return current.getToken();
    }

    /** Forgets the token kept: the service refused it (revoked, or from before a role was granted). */
    synchronized void forget() {
        current = null;
    }

    public String scope() {
        return scope;
    }

    @Override
    public String toString() {
        return "tokens for " + scope;
    }
}
