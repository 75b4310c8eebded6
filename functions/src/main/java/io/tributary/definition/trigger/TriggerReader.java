package io.tributary.definition.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.PipelineName;
import io.tributary.definition.output.Split;
import io.tributary.definition.output.SplitName;
import io.tributary.definition.read.DefinitionLimits;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.Suggestions;
import io.tributary.definition.source.SourceFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code "trigger"}: a {@code fileDrop} trigger (a file lands in the landing container) or a {@code dataset}
 * trigger (another pipeline commits). Schedules are read by {@link ScheduleReader}.
 */
public final class TriggerReader {

    private static final List<String> TRIGGER_TYPES = List.of("fileDrop", "dataset");
    private static final Set<String> TRIGGER_FIELDS = Set.of("type", "path", "suffixes", "emptyFiles", "afterCommit",
            "pipeline", "splits");

    private final Fields fields;

    /** A reader that reports its problems to {@code fields}. */
    public TriggerReader(Fields fields) {
        this.fields = fields;
    }

    /** Whether {@code trigger}, the value of {@code "trigger"} (null when absent), is a dataset trigger. */
    public static boolean isDataset(JsonNode trigger) {
        return trigger != null && trigger.isObject() && "dataset".equals(trigger.path("type").asText(null));
    }

    /** The file drop trigger {@code trigger} describes; empty when absent or, after its problems, unreadable. */
    public Optional<FileDropTrigger> fileDrop(JsonNode trigger) {
        if (trigger == null || !fields.object(trigger, "/trigger", TRIGGER_FIELDS)) {
            return Optional.empty();
        }
        String type = fields.string(trigger, "/trigger", "type", true);
        if (type != null && !type.equals("fileDrop")) {
            fields.problem("/trigger/type", "unknown trigger type '" + type + "'" + Suggestions.didYouMean(type,
                    TRIGGER_TYPES) + "; allowed: fileDrop (a file lands), dataset (another pipeline commits; "
                    + "schedules go in \"schedule\")");
        }
        for (String field : List.of("pipeline", "splits")) {
            if (trigger.has(field)) {
                fields.problemAtKey("/trigger/" + field, "'" + field + "' belongs to a \"dataset\" trigger; a "
                        + "fileDrop trigger has none (remove it)");
            }
        }
        String path = fields.string(trigger, "/trigger", "path", true);
        if (path != null && (path.isBlank() || path.startsWith("/") || path.startsWith("landing/"))) {
            fields.problem("/trigger/path", "'" + path + "' must be a glob inside the landing container, without the "
                    + "container name, e.g. \"orders/*.csv\"");
            path = null;
        } else if (path != null && path.length() > DefinitionLimits.MAX_BLOB_NAME) {
            fields.problem("/trigger/path", "the path is " + path.length() + " characters long, but a blob's name "
                    + "is at most " + DefinitionLimits.MAX_BLOB_NAME + ", so it matches no file; shorten it");
            path = null;
        } else if (path != null) {
            try {
                FileDropTrigger.compile(path);
            } catch (IllegalArgumentException e) {
                fields.problem("/trigger/path", "'" + path + "': " + e.getMessage());
                path = null;
            }
        }
        List<String> suffixes = suffixes(trigger.get("suffixes"));
        String emptyFiles = choice(trigger, "emptyFiles", FileDropTrigger.EMPTY_FILES, "ignore (a zero-byte file "
                + "starts no run), run");
        String afterCommit = choice(trigger, "afterCommit", FileDropTrigger.AFTER_COMMIT, "leave (the file stays "
                + "in landing), archive (moved to the archive container), delete");
        return path == null ? Optional.empty()
                : Optional.of(new FileDropTrigger(path, suffixes, emptyFiles, afterCommit));
    }

    /**
     * A {@code "type": "dataset"} trigger: the upstream pipeline (a pipeline name; that it exists and that no
     * cycle forms is checked by the catalog, which sees every definition) and the splits a run reads. Empty when
     * {@code trigger} is not a dataset trigger or, after its problems, unreadable.
     */
    public Optional<DatasetTrigger> dataset(JsonNode trigger) {
        if (!isDataset(trigger) || !fields.object(trigger, "/trigger", TRIGGER_FIELDS)) {
            return Optional.empty();
        }
        for (String field : List.of("path", "suffixes", "emptyFiles", "afterCommit")) {
            if (trigger.has(field)) {
                fields.problemAtKey("/trigger/" + field, "'" + field + "' belongs to a \"fileDrop\" trigger; a "
                        + "dataset trigger starts a run when the pipeline it names commits (remove it)");
            }
        }
        String pipeline = fields.string(trigger, "/trigger", "pipeline", true);
        if (pipeline != null && !PipelineName.isValid(pipeline)) {
            fields.problem("/trigger/pipeline", "'" + pipeline + "' is not a pipeline name: name the upstream "
                    + "pipeline as its \"name\" says, e.g. \"orders\"");
            pipeline = null;
        }
        List<SplitName> splits = new ArrayList<>();
        JsonNode node = trigger.get("splits");
        if (node != null && (!node.isArray() || node.isEmpty())) {
            fields.problem("/trigger/splits", "expected a non-empty array of the upstream's split names, e.g. "
                    + "[\"train\"], found " + Fields.describe(node));
        } else if (node != null) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode split = node.get(i);
                if (!split.isTextual() || !Split.NAME.matcher(split.asText()).matches()) {
                    fields.problem("/trigger/splits/" + i, "expected a split name such as \"train\" (or \"data\" "
                            + "for a dataset without a split), found " + Fields.describe(split));
                } else if (splits.contains(new SplitName(split.asText()))) {
                    fields.problem("/trigger/splits/" + i, "the split '" + split.asText() + "' is listed twice");
                } else {
                    splits.add(new SplitName(split.asText()));
                }
            }
        }
        return pipeline == null ? Optional.empty() : Optional.of(new DatasetTrigger(pipeline, splits));
    }

    /**
     * Checks the source of a pipeline with a dataset trigger: such a run reads the upstream's Parquet parts, so it
     * has no blob, API or database of its own, and no schedule.
     */
    public void checkDatasetSource(JsonNode source, SourceFormat format, boolean scheduled) {
        for (String own : List.of("blob", "rest", "sql")) {
            if (source.has(own)) {
                fields.problemAtKey("/source/" + own, "a pipeline with a \"dataset\" trigger reads the upstream "
                        + "pipeline's committed dataset; it has no " + own + " of its own (remove it)");
            }
        }
        if (!format.isParquet() && source.has("format")) {
            fields.problem("/source/format", "a pipeline with a \"dataset\" trigger reads the upstream's Parquet "
                    + "parts: set \"format\": \"parquet\"");
        }
        if (scheduled) {
            fields.problemAtKey("/schedule", "a pipeline with a \"dataset\" trigger runs when its upstream commits; "
                    + "it has no source to read on a schedule (remove \"schedule\")");
        }
    }

    /** The suffixes a dropped file's name must end with: a non-empty list of non-empty strings. */
    private List<String> suffixes(JsonNode node) {
        List<String> suffixes = new ArrayList<>();
        if (node == null) {
            return suffixes;
        }
        if (!node.isArray() || node.isEmpty()) {
            fields.problem("/trigger/suffixes", "expected a non-empty array of name endings, e.g. [\".csv\", "
                    + "\".csv.gz\"], found " + Fields.describe(node));
            return suffixes;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode suffix = node.get(i);
            if (!suffix.isTextual() || suffix.asText().isEmpty() || suffix.asText().contains("/")) {
                fields.problem("/trigger/suffixes/" + i, "expected the end of a file name such as \".csv\", found "
                        + Fields.describe(suffix));
            } else {
                suffixes.add(suffix.asText());
            }
        }
        return suffixes;
    }

    /** One of {@code allowed} (the first when absent), or a problem naming them as {@code explained}. */
    private String choice(JsonNode parent, String field, List<String> allowed, String explained) {
        String value = fields.string(parent, "/trigger", field, false);
        if (value == null) {
            return allowed.get(0);
        }
        if (!allowed.contains(value)) {
            fields.problem("/trigger/" + field, "unknown " + field + " '" + value + "'"
                    + Suggestions.didYouMean(value, allowed) + "; allowed: " + explained);
            return allowed.get(0);
        }
        return value;
    }
}
