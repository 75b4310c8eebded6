package io.tributary.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.job.JobPhase;
import io.tributary.job.JobState;
import java.util.Set;

/**
 * What a Databricks run's state ({@code runs/get}) means in Tributary's words. The run's {@code state} is read: its
 * {@code life_cycle_state} says whether it is over, its {@code result_state} how it ended.
 *
 * <table>
 *   <caption>life_cycle_state, result_state → phase</caption>
 *   <tr><td>QUEUED, PENDING, BLOCKED, WAITING_FOR_RETRY</td><td>queued</td></tr>
 *   <tr><td>RUNNING, TERMINATING</td><td>running</td></tr>
 *   <tr><td>TERMINATED with SUCCESS or SUCCESS_WITH_FAILURES</td><td>succeeded</td></tr>
 *   <tr><td>TERMINATED with CANCELED</td><td>canceled</td></tr>
 *   <tr><td>TERMINATED with anything else (FAILED, TIMEDOUT, …) or none</td><td>failed</td></tr>
 *   <tr><td>SKIPPED, INTERNAL_ERROR</td><td>failed</td></tr>
 *   <tr><td>a state this client does not know, with a result_state</td><td>as that result</td></tr>
 *   <tr><td>a state this client does not know, without one</td><td>running</td></tr>
 * </table>
 *
 * <p>Databricks adds values to its enums over time: an unknown life-cycle state without a result is taken as not over
 * (the job stage asks again, and cancels the run at its timeout), never as an error. {@code SUCCESS_WITH_FAILURES}
 * (some tasks of a job failed, its leaf tasks succeeded, as the job's {@code run_if} conditions allow) is a success,
 * as Databricks itself counts it. {@code SKIPPED} (a run of the same job was active and the job allows one) is a
 * failure: the work did not happen, and nobody cancelled it. When {@code state} is missing (it is deprecated in
 * favour of {@code status}), {@code status.state} and {@code status.termination_details.code} are read the same way.
 */
final class RunStates {

    private static final Set<String> QUEUED = Set.of("QUEUED", "PENDING", "BLOCKED", "WAITING_FOR_RETRY", "WAITING");
    private static final Set<String> RUNNING = Set.of("RUNNING", "TERMINATING");
    private static final Set<String> FAILED = Set.of("SKIPPED", "INTERNAL_ERROR");
    private static final Set<String> SUCCEEDED = Set.of("SUCCESS", "SUCCESS_WITH_FAILURES");
    private static final Set<String> CANCELED = Set.of("CANCELED", "USER_CANCELED");

    private RunStates() {
    }

    /** The state {@code run} (a {@code runs/get} answer) is in. */
    static JobState of(JsonNode run) {
        String link = run.path("run_page_url").asText("");
        JsonNode state = run.path("state");
        if (state.isObject() || !run.path("status").isObject()) {
            return of(state.path("life_cycle_state").asText(""), state.path("result_state").asText(""),
                    state.path("state_message").asText(""), link);
        }
        JsonNode status = run.path("status");
        JsonNode termination = status.path("termination_details");
        return of(status.path("state").asText(""), termination.path("code").asText(""),
                termination.path("message").asText(""), link);
    }

    /** The state of a run in {@code lifeCycle} that ended with {@code result} (empty while it has none). */
    static JobState of(String lifeCycle, String result, String message, String link) {
        String text = result.isEmpty() ? lifeCycle : lifeCycle + "/" + result;
        return new JobState(phase(lifeCycle, result), text, message, link);
    }

    static JobPhase phase(String lifeCycle, String result) {
        if (QUEUED.contains(lifeCycle)) {
            return JobPhase.QUEUED;
        }
        if (RUNNING.contains(lifeCycle)) {
            return JobPhase.RUNNING;
        }
        if (FAILED.contains(lifeCycle)) {
            return JobPhase.FAILED;
        }
        if (lifeCycle.equals("TERMINATED") || !result.isEmpty()) {
            return SUCCEEDED.contains(result) ? JobPhase.SUCCEEDED
                    : CANCELED.contains(result) ? JobPhase.CANCELED : JobPhase.FAILED;
        }
        return JobPhase.RUNNING;
    }
}
