package io.tributary.testing;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/** A credential that hands out {@code eyJ.test-token-1}, {@code -2}, … valid for an hour, and records the scopes asked. */
public final class TestCredential implements TokenCredential {

    /** What every token this credential gives starts with: no message may contain it. */
    public static final String TOKEN_TEXT = "test-token-";

    public final List<String> scopes = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        scopes.addAll(request.getScopes());
        return Mono.just(new AccessToken("eyJ." + TOKEN_TEXT + issued.incrementAndGet(),
                OffsetDateTime.now().plusHours(1)));
    }

    public int issued() {
        return issued.get();
    }
}
