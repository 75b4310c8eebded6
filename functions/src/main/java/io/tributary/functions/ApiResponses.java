package io.tributary.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import io.tributary.start.RunRequests;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Sends an API answer as JSON with its status. */
final class ApiResponses {

    private ApiResponses() {
    }

    static HttpResponseMessage send(HttpRequestMessage<Optional<String>> request, RunRequests.Answer answer) {
        return request.createResponseBuilder(HttpStatusType.custom(answer.status()))
                .header("Content-Type", "application/json")
                .body(new String(answer.json(), StandardCharsets.UTF_8))
                .build();
    }
}
