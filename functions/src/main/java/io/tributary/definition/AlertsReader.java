package io.tributary.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import java.util.Optional;
import java.util.Set;

/** Reads {@code "alerts"}: the pipeline's own alert rules. */
final class AlertsReader {

    private final Fields fields;

    AlertsReader(Fields fields) {
        this.fields = fields;
    }

    /** The rules {@code node} describes; {@link AlertRules#NONE} when absent or, after its problems, unreadable. */
    AlertRules alerts(JsonNode node) {
        if (node == null || !fields.object(node, "/alerts", Set.of("rejectedFraction"))) {
            return AlertRules.NONE;
        }
        JsonNode fraction = node.get("rejectedFraction");
        if (fraction == null) {
            return AlertRules.NONE;
        }
        if (!fraction.isNumber() || fraction.asDouble() < 0 || fraction.asDouble() > 1) {
            fields.problem("/alerts/rejectedFraction", "expected the fraction of a run's rows rejected above which "
                    + "it alerts, a number from 0 to 1 (0.01 for 1%), found " + Fields.describe(fraction));
            return AlertRules.NONE;
        }
        return new AlertRules(Optional.of(fraction.asDouble()));
    }
}
