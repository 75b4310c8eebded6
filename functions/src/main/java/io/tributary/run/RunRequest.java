package io.tributary.run;

import java.util.Map;

/**
 * The body of a request to start a run over HTTP: {@code {"parameters": {"region": "emea"}, "fullRefresh": false,
 * "requestId": "…"}}, every field optional.
 *
 * @param requestId names the request: the same id asks for the same run, so a retried request starts nothing new
 */
public record RunRequest(Map<String, String> parameters, boolean fullRefresh, String requestId) {

    public RunRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
