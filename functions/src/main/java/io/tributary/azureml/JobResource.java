package io.tributary.azureml;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.run.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job as ARM's {@code Jobs_Get} and {@code Jobs_CreateOrUpdate} answer it ({@code JobBaseResource}): what Tributary
 * reads of it.
 *
 * @param name          the job's name
 * @param component     the component it runs: its {@code componentId}, else its first node's; empty when neither
 * @param status        {@code properties.status}, as the service writes it; empty when not said
 * @param studio        {@code properties.services.Studio.endpoint}, the job's page in the studio; empty when not said
 * @param createdAt     {@code systemData.createdAt}, when said
 * @param serviceErrors the {@code errorMessage}s of the job's services, the only error text ARM's job carries
 */
record JobResource(String name, String component, String status, String studio, Optional<Instant> createdAt, List<String> serviceErrors) {

    /**
     * The job an answer describes.
     *
     * @throws IllegalArgumentException when the answer is not a JSON object
     */
    static JobResource read(String body) {
        JsonNode job;
        try {
            job = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the answer is not JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""), e);
        }
        if (job == null || !job.isObject()) {
            throw new IllegalArgumentException("the answer is not a job resource");
        }
        JsonNode properties = job.path("properties");
        List<String> errors = new ArrayList<>();
        properties.path("services").fields().forEachRemaining(service -> {
            String error = service.getValue().path("errorMessage").asText("").strip();
            if (!error.isEmpty()) {
                errors.add(service.getKey() + ": " + error.lines().findFirst().orElse(""));
            }
        });
        String component = properties.path("componentId").asText("");
        if (component.isEmpty() && properties.path("jobs").isObject() && properties.path("jobs").size() > 0) {
            component = properties.path("jobs").elements().next().path("componentId").asText("");
        }
        return new JobResource(job.path("name").asText(""), component, properties.path("status").asText(""),
                properties.path("services").path("Studio").path("endpoint").asText(""),
                instant(job.path("systemData").path("createdAt").asText("")), List.copyOf(errors));
    }

    private static Optional<Instant> instant(String text) {
        try {
            return text.isEmpty() ? Optional.empty() : Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
