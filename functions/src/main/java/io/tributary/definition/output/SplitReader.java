package io.tributary.definition.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.LocatedJson;
import io.tributary.definition.read.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code "split"}: the key columns, the seed and the share of each split. */
public final class SplitReader {

    private final Fields fields;

    /** A reader that reports its problems to {@code fields}. */
    public SplitReader(Fields fields) {
        this.fields = fields;
    }

    /**
     * The split {@code node} describes, checking that its keys exist after the last step; empty when absent or,
     * after its problems, unreadable.
     *
     * @param finalColumns the column names after the last step, or null when only the engine can tell
     */
    public Optional<Split> split(JsonNode node, List<String> finalColumns) {
        Optional<Split> split = read(node);
        split.ifPresent(sp -> {
            for (int i = 0; i < sp.keys().size(); i++) {
                String key = sp.keys().get(i);
                if (finalColumns != null && !finalColumns.contains(key)) {
                    fields.problem("/split/keys/" + i, "no column '" + key + "' after the last step"
                            + Suggestions.didYouMean(key, finalColumns) + "; available: "
                            + String.join(", ", finalColumns));
                }
            }
        });
        return split;
    }

    private Optional<Split> read(JsonNode node) {
        if (node == null || !fields.object(node, "/split", Set.of("keys", "seed", "fractions"))) {
            return Optional.empty();
        }
        List<String> keys = new ArrayList<>();
        JsonNode keyNode = node.get("keys");
        if (keyNode == null || !keyNode.isArray() || keyNode.isEmpty()) {
            fields.problem(keyNode == null ? "/split" : "/split/keys", "the split needs \"keys\": the columns that "
                    + "identify an entity, e.g. [\"customer_id\"], so each entity stays in one split");
        } else {
            for (int i = 0; i < keyNode.size(); i++) {
                if (keyNode.get(i).isTextual()) {
                    keys.add(keyNode.get(i).asText());
                } else {
                    fields.problem("/split/keys/" + i, "expected a column name, found " + Fields.describe(keyNode.get(i)));
                }
            }
        }
        JsonNode seedNode = node.get("seed");
        long seed = 0;
        if (seedNode != null && !seedNode.canConvertToLong()) {
            fields.problem("/split/seed", "expected a whole number, found " + Fields.describe(seedNode));
        } else if (seedNode != null) {
            seed = seedNode.asLong();
        }
        Map<SplitName, Double> fractions = new LinkedHashMap<>();
        JsonNode fractionNode = node.get("fractions");
        if (fractionNode == null || !fractionNode.isObject() || fractionNode.size() < 2) {
            fields.problem(fractionNode == null ? "/split" : "/split/fractions", "the split needs \"fractions\" for "
                    + "two or more splits, e.g. {\"train\": 0.8, \"validation\": 0.1, \"test\": 0.1}");
            return Optional.empty();
        }
        fractionNode.fields().forEachRemaining(e -> {
            String at = "/split/fractions/" + LocatedJson.escape(e.getKey());
            if (!Split.NAME.matcher(e.getKey()).matches()) {
                fields.problemAtKey(at, "'" + e.getKey() + "' cannot name a split folder: use lower-case letters, "
                        + "digits, '_' and '-'");
            } else if (!e.getValue().isNumber() || e.getValue().asDouble() <= 0 || e.getValue().asDouble() > 1) {
                fields.problem(at, "expected a share between 0 and 1, found " + Fields.describe(e.getValue()));
            } else {
                fractions.put(new SplitName(e.getKey()), e.getValue().asDouble());
            }
        });
        double sum = fractions.values().stream().mapToDouble(Double::doubleValue).sum();
        if (fractions.size() == fractionNode.size() && Math.abs(sum - 1) > 1e-9) {
            fields.problem("/split/fractions", "the fractions add up to " + sum + "; they must add up to 1");
        }
        return keys.isEmpty() || fractions.size() < 2 ? Optional.empty() : Optional.of(new Split(keys, seed, fractions));
    }
}
