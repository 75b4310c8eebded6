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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job as ARM's {@code Jobs_Get} and {@code Jobs_CreateOrUpdate} answer it ({@code JobBaseResource}): what Tributary
 * reads of it.
 *
 * @param name          the job's name
 * @param components    the components it names: its own {@code componentId} and its nodes'; empty when none
 * @param status        {@code properties.status}, as the service writes it; empty when not said
 * @param studio        {@code properties.services.Studio.endpoint}, the job's page in the studio; empty when not said
 * @param createdAt     {@code systemData.createdAt}, when said
 * @param serviceErrors the {@code errorMessage}s of the job's services, the only error text ARM's job carries
 */
record JobResource(String name, List<String> components, String status, String studio, Optional<Instant> createdAt,
                   List<String> serviceErrors) {

    /** The {@code components/NAME/versions/VERSION} end of a component version's id, whatever names its home. */
    private static final Pattern VERSION_PART = Pattern.compile("(?i).*/(components/[^/]+/versions/[^/]+)");

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
        List<String> components = new ArrayList<>();
        if (!properties.path("componentId").asText("").isEmpty()) {
            components.add(properties.path("componentId").asText());
        }
        properties.path("jobs").elements().forEachRemaining(node -> {
            if (!node.path("componentId").asText("").isEmpty()) {
                components.add(node.path("componentId").asText());
            }
        });
        return new JobResource(job.path("name").asText(""), List.copyOf(components),
                properties.path("status").asText(""),
                properties.path("services").path("Studio").path("endpoint").asText(""),
                instant(job.path("systemData").path("createdAt").asText("")), List.copyOf(errors));
    }

    /**
     * Whether this job may run {@code component} (a component version's resource id): it names no component Tributary
     * can read, or one of those it names has the same name and version. The service may spell a component's home
     * otherwise than it was sent (a prefix, another case, an anonymous pipeline around the node), so only the name and
     * version are compared.
     */
    boolean mayRun(String component) {
        if (components.isEmpty()) {
            return true;
        }
        String wanted = versionPart(component);
        return components.stream().anyMatch(named -> versionPart(named).equalsIgnoreCase(wanted));
    }

    private static String versionPart(String id) {
        Matcher m = VERSION_PART.matcher(id);
        return m.matches() ? m.group(1) : id;
    }

    private static Optional<Instant> instant(String text) {
        try {
            return text.isEmpty() ? Optional.empty() : Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
