package io.tributary.azureml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What is read of a job as ARM answers it, and which component it may be running. */
class JobResourceTest {

    private static final String ID = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg"
            + "/providers/Microsoft.MachineLearningServices/workspaces/ml-prod";
    private static final String COMPONENT = ID + "/components/train_model/versions/3";

    @Test
    void aJobsStatusLinkCreationServiceErrorsAndComponentsAreRead() {
        JobResource job = JobResource.read("{\"name\":\"train-1\",\"properties\":{\"status\":\"Failed\","
                + "\"componentId\":\"azureml_anonymous_pipeline\",\"jobs\":{\"tributary\":{\"componentId\":\""
                + COMPONENT + "\"}},\"services\":{\"Studio\":{\"endpoint\":\"https://ml.azure.com/runs/train-1\"},"
                + "\"Tracking\":{\"errorMessage\":\"tracking lost\\nmore\"}}},"
                + "\"systemData\":{\"createdAt\":\"2026-11-22T07:40:00.1234567+00:00\"}}");

        assertEquals(new JobResource("train-1", List.of("azureml_anonymous_pipeline", COMPONENT), "Failed",
                "https://ml.azure.com/runs/train-1", Optional.of(Instant.parse("2026-11-22T07:40:00.1234567Z")),
                List.of("Tracking: tracking lost")), job);
    }

    @Test
    void aComponentIsComparedByNameAndVersionWhateverItsHomeIsCalled() {
        assertTrue(JobResource.read(node("azureml:" + COMPONENT.toUpperCase())).mayRun(COMPONENT));
        assertTrue(JobResource.read(node("azureml://locations/westeurope/workspaces/abc/components/train_model/"
                + "versions/3")).mayRun(COMPONENT));
        assertTrue(JobResource.read("{\"properties\":{}}").mayRun(COMPONENT), "nothing to tell by");
        assertFalse(JobResource.read(node(ID + "/components/train_model/versions/4")).mayRun(COMPONENT));
        assertFalse(JobResource.read(node(ID + "/components/score_model/versions/3")).mayRun(COMPONENT));
    }

    private static String node(String component) {
        return "{\"properties\":{\"jobs\":{\"n\":{\"componentId\":\"" + component + "\"}}}}";
    }

    @Test
    void anAnswerThatIsNotAJobIsSaidSo() {
        assertEquals("the answer is not a job resource",
                assertThrows(IllegalArgumentException.class, () -> JobResource.read("[1]")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobResource.read("<html>")).getMessage()
                .startsWith("the answer is not JSON: "));
    }
}
