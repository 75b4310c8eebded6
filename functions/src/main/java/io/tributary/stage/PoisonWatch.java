package io.tributary.stage;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.port.BlobStore;
import io.tributary.port.PoisonQueues;
import io.tributary.run.Alert;
import io.tributary.run.Json;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Alerts the poisoned messages that no last-attempt hook saw: a file drop whose blob trigger kept failing (the host
 * reports it on {@value RunLayout#BLOB_TRIGGER_POISON_QUEUE}; no run exists to alert for), and a stage message whose
 * run has no {@link Alert#POISON_MESSAGE} claim (its last attempt died with its host, timed out, or the message named
 * no run). Each such message gets one {@link Alert#POISON_MESSAGE}, claimed by a create-only
 * {@code tributary-state/alerts/poison/{queue}/{messageId}.json}. The queues are only peeked: the messages stay for
 * people to inspect, and a look sees the first {@value PoisonQueues#MAX_PEEK} of each queue.
 */
public final class PoisonWatch {

    private final PoisonQueues queues;
    private final BlobStore blobs;
    private final Alerts alerts;
    private final Function<String, List<String>> pipelinesListeningTo;
    private final int maxDequeueCount;
    private final Clock clock;

    /**
     * @param pipelinesListeningTo the names of the pipelines whose file-drop path matches a landing blob's name
     * @param maxDequeueCount      how often the host tries a message (or a blob) before it poisons it
     */
    public PoisonWatch(PoisonQueues queues, BlobStore blobs, Alerts alerts,
                       Function<String, List<String>> pipelinesListeningTo, int maxDequeueCount, Clock clock) {
        this.queues = queues;
        this.blobs = blobs;
        this.alerts = alerts;
        this.pipelinesListeningTo = pipelinesListeningTo;
        this.maxDequeueCount = maxDequeueCount;
        this.clock = clock;
    }

    /**
     * What one look found.
     *
     * @param poisoned how many messages the poison queues hold (as far as a look sees)
     * @param alerted  the alerts this look sent, one line each
     * @param notes    what went wrong (a queue that could not be read), for the log
     */
    public record Look(int poisoned, List<String> alerted, List<String> notes) {
    }

    /** Peeks every poison queue and alerts each poisoned message not alerted before. Throws nothing a queue causes. */
    public Look look() {
        int poisoned = 0;
        List<String> alerted = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String queue : RunLayout.poisonQueues()) {
            List<PoisonQueues.Poisoned> messages;
            try {
                messages = queues.peek(queue);
            } catch (RuntimeException e) {
                notes.add("could not peek " + queue + ": " + Failures.describe(e) + "; looking again next time");
                continue;
            }
            poisoned += messages.size();
            if (messages.size() >= PoisonQueues.MAX_PEEK) {
                notes.add(queue + " holds " + PoisonQueues.MAX_PEEK + " messages or more; only the first "
                        + PoisonQueues.MAX_PEEK + " are looked at: deal with them to see the rest");
            }
            if (!alerts.enabled()) {
                continue;
            }
            for (PoisonQueues.Poisoned message : messages) {
                Alert alert = queue.equals(RunLayout.BLOB_TRIGGER_POISON_QUEUE) ? fileDrop(message) : stage(message);
                if (alert != null && alerts.raiseOnce(RunLayout.STATE, RunLayout.poisonAlert(queue, message.id()),
                        alert)) {
                    alerted.add(alert.text());
                }
            }
        }
        return new Look(poisoned, List.copyOf(alerted), List.copyOf(notes));
    }

    private Alert fileDrop(PoisonQueues.Poisoned message) {
        JsonNode report = tree(message.body());
        String container = text(report, "ContainerName");
        String name = text(report, "BlobName");
        if (container == null || name == null) {
            return unknown(message, Stage.FILE_DROP);
        }
        String etag = text(report, "ETag");
        String blob = container + "/" + name;
        List<String> pipelines = container.equals(RunLayout.LANDING) ? pipelinesListeningTo.apply(name) : List.of();
        Map<String, String> details = details(message);
        details.put("blob", blob);
        if (etag != null) {
            details.put("etag", etag);
        }
        if (text(report, "FunctionId") != null) {
            details.put("function", text(report, "FunctionId"));
        }
        details.put("tries", String.valueOf(maxDequeueCount));
        String text = "The file drop " + blob + (etag == null ? "" : " (ETag " + etag + ")") + " failed its blob "
                + "trigger " + maxDequeueCount + " times and was reported on " + message.queue() + " (message "
                + message.id() + "); it started no run" + (pipelines.isEmpty() ? "" : " of " + String.join(", ",
                pipelines)) + ". Inspect it with " + peek(message.queue()) + " and the fileDrop function's log, "
                + "fix the cause, then drop the file again (upload it anew to " + blob + ").";
        return new Alert(Alert.POISON_MESSAGE, pipelines.isEmpty() ? null : String.join(", ", pipelines), null,
                Stage.FILE_DROP, -1, text, clock.instant(), details);
    }

    /** A stage's message: alerted here only when its run has no poisonMessage claim (the hook did not alert it). */
    private Alert stage(PoisonQueues.Poisoned message) {
        Stage stage = Stage.CHAIN.stream().filter(s -> RunLayout.poisonQueue(s.queue()).equals(message.queue()))
                .findFirst().orElseThrow();
        JsonNode body = tree(message.body());
        String runText = text(body, "runId");
        String pipeline = text(body, "pipeline");
        if (pipeline == null || !RunId.isValid(runText)) {
            return unknown(message, stage);
        }
        RunId runId = RunId.parse(runText);
        if (!blobs.list(RunLayout.RUNS, RunLayout.poisonMessageAlerts(runId)).isEmpty()) {
            return null;
        }
        int chunk = body.has("chunk") ? body.get("chunk").asInt(-1) : body.has("bucket") ? body.get("bucket")
                .asInt(-1) : -1;
        Map<String, String> details = details(message);
        details.put("tries", String.valueOf(maxDequeueCount));
        String place = stage + (chunk < 0 ? "" : " " + (stage == Stage.COMBINE ? "bucket " : "chunk ") + chunk);
        String text = "The " + place + " message of run " + runId + " of pipeline " + pipeline + " failed "
                + maxDequeueCount + " times and is on " + message.queue() + " (message " + message.id() + "). Inspect "
                + "it with " + peek(message.queue()) + " and the run's log (tributary status " + runId + "), fix the "
                + "cause, then tributary rerun " + runId + ".";
        return new Alert(Alert.POISON_MESSAGE, pipeline, runId, stage, chunk, text, clock.instant(), details);
    }

    /** A message that does not say what it is about: someone put it there, or it is not Tributary's. */
    private Alert unknown(PoisonQueues.Poisoned message, Stage stage) {
        String start = message.body().length() <= 200 ? message.body() : message.body().substring(0, 200) + "…";
        String text = "A message on " + message.queue() + " (message " + message.id() + ") names no "
                + (stage == Stage.FILE_DROP ? "blob" : "run") + ": " + start + ". Inspect it with "
                + peek(message.queue()) + "; once dealt with, delete it (az storage message delete).";
        return new Alert(Alert.POISON_MESSAGE, null, null, stage, -1, text, clock.instant(), details(message));
    }

    private static Map<String, String> details(PoisonQueues.Poisoned message) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("queue", message.queue());
        details.put("messageId", message.id());
        if (message.insertedAt() != null) {
            details.put("poisonedAt", message.insertedAt().toString());
        }
        return details;
    }

    private static String peek(String queue) {
        return "az storage message peek --queue-name " + queue + " --num-messages " + PoisonQueues.MAX_PEEK
                + " --account-name ACCOUNT --auth-mode login";
    }

    private static JsonNode tree(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Json.MAPPER.missingNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }
}
