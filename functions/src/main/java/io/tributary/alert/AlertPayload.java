package io.tributary.alert;

import io.tributary.run.Alert;
import io.tributary.run.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON an alert is posted as, one body that both Slack and Microsoft Teams incoming webhooks take: a top-level
 * {@code text} (all Slack needs; Teams shows it as the card's text), the fields of an Office 365 connector
 * {@code MessageCard} ({@code @type}, {@code @context}, {@code summary}, {@code themeColor}, {@code title},
 * {@code sections} with facts — Slack ignores them), and the alert's own fields under {@code tributary} for any
 * other receiver.
 */
public final class AlertPayload {

    private AlertPayload() {
    }

    public static byte[] of(Alert alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", alert.text());
        body.put("@type", "MessageCard");
        body.put("@context", "https://schema.org/extensions");
        body.put("summary", title(alert));
        body.put("themeColor", alert.kind().equals(Alert.REJECTS_OVER_THRESHOLD) ? "FFA500" : "D13438");
        body.put("title", title(alert));
        List<Map<String, String>> facts = new ArrayList<>();
        if (alert.pipeline() != null) {
            facts.add(fact("pipeline", alert.pipeline()));
        }
        if (alert.runId() != null) {
            facts.add(fact("run", alert.runId().text()));
        }
        facts.add(fact("stage", alert.stage() + (alert.chunk() < 0 ? "" : " " + alert.chunk())));
        alert.details().forEach((name, value) -> facts.add(fact(name, value)));
        facts.add(fact("at", alert.at().toString()));
        body.put("sections", List.of(Map.of("facts", facts)));
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("kind", alert.kind());
        own.put("pipeline", alert.pipeline());
        own.put("runId", java.util.Objects.toString(alert.runId(), null));
        own.put("stage", java.util.Objects.toString(alert.stage(), null));
        own.put("chunk", alert.chunk());
        own.put("at", alert.at().toString());
        own.putAll(alert.details());
        body.put("tributary", own);
        return Json.bytes(body);
    }

    private static String title(Alert alert) {
        String what = switch (alert.kind()) {
            case Alert.RUN_FAILED -> "run failed";
            case Alert.POISON_MESSAGE -> "message poisoned";
            case Alert.REJECTS_OVER_THRESHOLD -> "too many rejects";
            default -> alert.kind();
        };
        return "Tributary: " + (alert.pipeline() == null ? alert.stage() : alert.pipeline()) + " " + what;
    }

    private static Map<String, String> fact(String name, String value) {
        Map<String, String> fact = new LinkedHashMap<>();
        fact.put("name", name);
        fact.put("value", value);
        return fact;
    }
}
