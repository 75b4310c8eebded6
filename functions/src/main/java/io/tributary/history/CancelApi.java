package io.tributary.history;

import io.tributary.run.RunId;
import io.tributary.stage.RunCancels;
import io.tributary.start.RunRequests;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/runs/{runId}/cancel}: asks a run in flight to stop, as {@code tributary cancel} does; 202 with when
 * it was asked (asking again answers the first request), 404 for no such run, 409 for a run that has ended.
 */
public final class CancelApi {

    private final RunCancels cancels;

    public CancelApi(RunCancels cancels) {
        this.cancels = cancels;
    }

    public RunRequests.Answer cancel(String text) {
        if (!RunId.isValid(text)) {
            return error(400, "'" + text + "' is not a run id (they look like 20261122T054000Z-3fa9c1d20b; GET "
                    + "/api/runs lists them)");
        }
        RunCancels.Asked asked;
        try {
            asked = cancels.cancel(RunId.parse(text), "the HTTP API");
        } catch (IllegalArgumentException e) {
            return error(404, e.getMessage().replace("'tributary runs'", "GET /api/runs"));
        } catch (IllegalStateException e) {
            return error(409, e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", asked.runId().text());
        body.put("requestedAt", asked.request().at().toString());
        body.put("requestedBy", asked.request().by());
        body.put("isNew", asked.isNew());
        body.put("note", "the run fails as cancelled at its next stage; a job it waits on is cancelled at its next check");
        return new RunRequests.Answer(202, body);
    }

    private static RunRequests.Answer error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return new RunRequests.Answer(status, body);
    }
}
