package io.tributary.synapse;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.run.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a pool's batches ({@code SparkBatchJobCollection}: {@code {"from", "total", "sessions": [...]}}; the
 * array is named {@code sessions} for batches too).
 *
 * @param from    the index of its first batch in the pool's list
 * @param total   what the service says in {@code total}: in Apache Livy the number of batches the pool holds, in the
 *                spec's words the "number of sessions fetched" ({@link BatchLookup} trusts it only where both
 *                readings agree); -1 when not said
 * @param batches the page's batches, in the service's order
 */
record BatchPage(int from, int total, List<SparkBatch> batches) {

    /**
     * The page an answer's body holds.
     *
     * @throws IllegalArgumentException when the body is not JSON, has no {@code sessions} array, or a batch in it has
     *                                  no id
     */
    static BatchPage read(String body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the answer is not JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""), e);
        }
        JsonNode sessions = root == null ? null : root.get("sessions");
        if (sessions == null || !sessions.isArray()) {
            throw new IllegalArgumentException("the answer has no list of batches (sessions)");
        }
        List<SparkBatch> batches = new ArrayList<>();
        sessions.forEach(batch -> batches.add(SparkBatch.of(batch)));
        JsonNode total = root.get("total");
        return new BatchPage(root.path("from").asInt(0), total != null && total.canConvertToInt() ? total.asInt() : -1,
                List.copyOf(batches));
    }
}
