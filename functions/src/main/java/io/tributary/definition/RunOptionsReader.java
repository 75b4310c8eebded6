package io.tributary.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.column.Column;
import io.tributary.definition.output.Output;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.Suggestions;
import io.tributary.definition.source.SourceFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the top-level fields that say how a run treats its input: {@code schemaDrift}, {@code concurrency},
 * {@code maxRejectedFraction}, {@code chunkSize} and {@code inferenceSample}.
 */
final class RunOptionsReader {

    private final Fields fields;

    RunOptionsReader(Fields fields) {
        this.fields = fields;
    }

    /** What a run does with columns the source has beyond the declared ones: fail (default), ignore or evolve. */
    String schemaDrift(JsonNode root, List<Column> columns, SourceFormat source) {
        String policy = fields.string(root, "", "schemaDrift", false);
        if (policy == null) {
            return PipelineDefinition.DRIFT_POLICIES.get(0);
        }
        if (!PipelineDefinition.DRIFT_POLICIES.contains(policy)) {
            fields.problem("/schemaDrift", "unknown schema drift policy '" + policy + "'" + Suggestions.didYouMean(policy,
                    PipelineDefinition.DRIFT_POLICIES) + "; allowed: fail (a column the definition does not declare "
                    + "fails the run), ignore (such columns are dropped), evolve (they are added, nullable)");
        } else if (root.has("columns") && columns.isEmpty()) {
            return policy; // the columns have problems of their own
        } else if (columns.isEmpty()) {
            fields.problem("/schemaDrift", "a schema drift policy needs declared \"columns\" to drift from; without "
                    + "them every run infers its columns from its input");
        } else if (!policy.equals("fail") && source.isCsv() && !source.header()) {
            fields.problem("/schemaDrift", "'" + policy + "' matches columns by name, which needs a header line; set "
                    + "\"header\": true, or keep \"schemaDrift\": \"fail\"");
        }
        return policy;
    }

    /**
     * How many runs may be active at once: as written, else one at a time for a pipeline that loads incrementally or
     * on a schedule (each run after the previous one; a backfill paced), else no limit (dropped files run side by
     * side). An incremental source allows one only.
     */
    int concurrency(JsonNode node, boolean incremental, boolean scheduled) {
        int concurrency = concurrency(node, incremental || scheduled);
        if (concurrency > 1 && incremental) {
            fields.problemAtKey("/concurrency", "an incremental source needs \"concurrency\": 1, so that each run "
                    + "starts after the high-water mark of the one before; two runs at once would read the same "
                    + "records (remove \"concurrency\" or set it to 1)");
        }
        return concurrency;
    }

    private int concurrency(JsonNode node, boolean paced) {
        int fallback = paced ? PipelineDefinition.DEFAULT_CONCURRENCY : PipelineDefinition.UNLIMITED;
        if (node != null && (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1)) {
            fields.problem("/concurrency", "expected how many runs of the pipeline may be active at once, a whole "
                    + "number of at least 1, found " + Fields.describe(node));
            return fallback;
        }
        return node == null ? fallback : node.asInt();
    }

    /** The most of a run's rows that may be rejected, a number from 0 to 1; empty when absent (no limit). */
    Optional<Double> maxRejectedFraction(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isNumber() || node.asDouble() < 0 || node.asDouble() > 1) {
            fields.problem("/maxRejectedFraction", "expected the most of a run's rows that may be rejected, a number "
                    + "from 0 to 1 (0.05 for 5%), found " + Fields.describe(node));
            return Optional.empty();
        }
        return Optional.of(node.asDouble());
    }

    /** How many bytes of the source each chunk holds, about (records are not cut); the default when absent. */
    long chunkSize(JsonNode root) {
        return size(root, "chunkSize", PipelineDefinition.DEFAULT_CHUNK_BYTES, 1024, Long.MAX_VALUE,
                size -> "a chunk of " + size + " holds next to nothing; give at least 1KB (the default is 64MB)");
    }

    /** How many bytes of its input a run reads to infer undeclared columns; the default when absent. */
    long inferenceSample(JsonNode root) {
        return size(root, "inferenceSample", PipelineDefinition.DEFAULT_INFERENCE_SAMPLE, 1024,
                PipelineDefinition.MAX_INFERENCE_SAMPLE,
                size -> "a sample of " + size + " is out of range; give 1KB to 1GB (the default is 4MB)");
    }

    /** A top-level size such as {@code "64MB"}: {@code fallback} when absent, a problem when out of range. */
    private long size(JsonNode root, String field, long fallback, long min, long max,
                      Function<String, String> outOfRange) {
        String size = fields.string(root, "", field, false);
        if (size == null) {
            return fallback;
        }
        try {
            long bytes = Output.parseSize(size);
            if (bytes >= min && bytes <= max) {
                return bytes;
            }
            fields.problem("/" + field, outOfRange.apply(size));
        } catch (IllegalArgumentException e) {
            fields.problem("/" + field, e.getMessage());
        }
        return fallback;
    }
}
