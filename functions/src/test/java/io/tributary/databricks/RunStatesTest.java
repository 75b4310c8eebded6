package io.tributary.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.job.JobPhase;
import io.tributary.job.JobState;
import io.tributary.run.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every life-cycle and result state the Jobs API documents, mapped onto Tributary's phases; values it may add later;
 * and the newer {@code status} read when {@code state} is gone.
 */
class RunStatesTest {

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "QUEUED, -, QUEUED", "PENDING, -, QUEUED", "BLOCKED, -, QUEUED", "WAITING_FOR_RETRY, -, QUEUED",
            "RUNNING, -, RUNNING", "TERMINATING, -, RUNNING",
            "TERMINATED, SUCCESS, SUCCEEDED", "TERMINATED, SUCCESS_WITH_FAILURES, SUCCEEDED",
            "TERMINATED, CANCELED, CANCELED", "TERMINATED, FAILED, FAILED", "TERMINATED, TIMEDOUT, FAILED",
            "TERMINATED, MAXIMUM_CONCURRENT_RUNS_REACHED, FAILED", "TERMINATED, EXCLUDED, FAILED",
            "TERMINATED, UPSTREAM_FAILED, FAILED", "TERMINATED, UPSTREAM_CANCELED, FAILED",
            "TERMINATED, DISABLED, FAILED", "TERMINATED, A_RESULT_ADDED_LATER, FAILED", "TERMINATED, -, FAILED",
            "SKIPPED, -, FAILED", "INTERNAL_ERROR, -, FAILED", "INTERNAL_ERROR, FAILED, FAILED",
            "A_STATE_ADDED_LATER, -, RUNNING", "A_STATE_ADDED_LATER, SUCCESS, SUCCEEDED",
            "A_STATE_ADDED_LATER, CANCELED, CANCELED", "-, -, RUNNING"})
    void lifeCycleAndResultMapOntoAPhase(String lifeCycle, String result, JobPhase phase) {
        assertEquals(phase, RunStates.phase(lifeCycle == null ? "" : lifeCycle, result == null ? "" : result));
    }

    @Test
    void theStateTextIsTheLifeCycleAndTheResultAndTheMessageAndLinkAreDatabricks() throws Exception {
        JobState failed = RunStates.of(Json.MAPPER.readTree("{\"run_id\": 7, \"run_page_url\": "
                + "\"https://adb-1.2.azuredatabricks.net/?o=1#job/9/run/7\", \"state\": {\"life_cycle_state\": "
                + "\"TERMINATED\", \"result_state\": \"FAILED\", \"state_message\": \"Task tributary failed with message: "
                + "ZeroDivisionError\", \"user_cancelled_or_timedout\": false}}"));

        assertEquals(new JobState(JobPhase.FAILED, "TERMINATED/FAILED", "Task tributary failed with message: "
                + "ZeroDivisionError", "https://adb-1.2.azuredatabricks.net/?o=1#job/9/run/7"), failed);
        assertEquals(new JobState(JobPhase.QUEUED, "PENDING", "Waiting for cluster", ""), RunStates.of(Json.MAPPER
                .readTree("{\"state\": {\"life_cycle_state\": \"PENDING\", \"state_message\": \"Waiting for cluster\"}}")));
    }

    @Test
    void withoutStateTheNewerStatusIsRead() throws Exception {
        assertEquals(new JobState(JobPhase.CANCELED, "TERMINATED/USER_CANCELED", "Run cancelled by a user.", ""),
                RunStates.of(Json.MAPPER.readTree("{\"status\": {\"state\": \"TERMINATED\", \"termination_details\": "
                        + "{\"code\": \"USER_CANCELED\", \"type\": \"SUCCESS\", \"message\": \"Run cancelled by a "
                        + "user.\"}}}")));
        assertEquals(JobPhase.FAILED, RunStates.of(Json.MAPPER.readTree("{\"status\": {\"state\": \"TERMINATED\", "
                + "\"termination_details\": {\"code\": \"DRIVER_ERROR\", \"type\": \"CLOUD_FAILURE\"}}}")).phase());
        assertEquals(JobPhase.QUEUED, RunStates.of(Json.MAPPER.readTree("{\"status\": {\"state\": \"WAITING\"}}"))
                .phase());
        assertEquals(JobPhase.SUCCEEDED, RunStates.of(Json.MAPPER.readTree("{\"state\": {\"life_cycle_state\": "
                + "\"TERMINATED\", \"result_state\": \"SUCCESS\"}, \"status\": {\"state\": \"RUNNING\"}}")).phase(),
                "state, when there, is what is read");
    }
}
