package io.tributary.table;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.output.Split;
import io.tributary.definition.output.TableOutput;
import io.tributary.run.OutputColumn;
import io.tributary.run.RunLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a pipeline's runs make of its table: the columns, the partition columns ({@code split}, then
 * {@code partitionBy}), and the configuration that must not change under a merge (the split and the keys).
 */
public final class TableShape {

    /** The types a partition column may have: those whose text the engine writes as Delta reads it. */
    private static final Set<String> PARTITION_TYPES = Set.of("VARCHAR", "BIGINT", "INTEGER", "SMALLINT", "TINYINT",
            "DATE", "BOOLEAN", "TIMESTAMP");

    static final String SPLIT = "tributary.split";
    static final String KEYS = "tributary.keys";
    static final String MODE = "tributary.mode";

    private final TableSchema schema;
    private final List<String> partitionColumns;
    private final Map<String, String> configuration;
    private final String name;
    private final String description;
    private final TableOutput table;

    /**
     * The shape a run of {@code definition} whose rows have {@code columns} gives the table.
     *
     * @throws IllegalArgumentException when a column cannot be held by a Delta table or cannot partition it
     */
    public TableShape(PipelineDefinition definition, List<OutputColumn> columns) {
        this.table = definition.output().tableOutput()
                .orElseThrow(() -> new IllegalArgumentException(definition.name() + " does not write a table"));
        List<String> partitions = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        if (definition.split().isPresent()) {
            if (columns.stream().anyMatch(c -> c.name().equals(RunLayout.SPLIT_PARTITION))) {
                throw new IllegalArgumentException("column '" + RunLayout.SPLIT_PARTITION + "' clashes with the "
                        + "table's partition column of that name, which holds each row's split; rename the column in a "
                        + "step");
            }
            partitions.add(RunLayout.SPLIT_PARTITION);
            extra.add(RunLayout.SPLIT_PARTITION);
        }
        for (String column : definition.output().partitionBy()) {
            String type = columns.stream().filter(c -> c.name().equals(column)).map(OutputColumn::type).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("partition column '" + column + "' is not among "
                            + "the run's columns"));
            if (!PARTITION_TYPES.contains(type)) {
                throw new IllegalArgumentException("output.partitionBy column '" + column + "' has type " + type
                        + ", which cannot partition a table; partition by a string, whole number, date, boolean or "
                        + "timestamp column (derive one in a step, e.g. CAST(" + column + " AS DATE))");
            }
            partitions.add(column);
        }
        this.schema = new TableSchema(columns, extra);
        schema.schemaString(); // every type is checked here, so a bad one fails before any write
        this.partitionColumns = List.copyOf(partitions);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("delta.checkpointInterval", Integer.toString(table.checkpointInterval()));
        config.put("delta.deletedFileRetentionDuration", "interval " + table.retention().toMinutes() + " minutes");
        config.put(MODE, table.mode().text());
        if (!table.keys().isEmpty()) {
            config.put(KEYS, LogJson.text(table.keys()));
        }
        definition.split().ifPresent(s -> config.put(SPLIT, splitText(s)));
        this.configuration = Map.copyOf(config);
        this.name = definition.name();
        this.description = definition.description();
    }

    public TableOutput table() {
        return table;
    }

    public List<String> partitionColumns() {
        return partitionColumns;
    }

    public TableSchema schema() {
        return schema;
    }

    /** The metadata of a new table of this shape. */
    public Action.Metadata newMetadata(long now) {
        return metadata(UUID.randomUUID().toString(), now);
    }

    /** The metadata that gives the table {@code current} this shape, keeping its id. */
    public Action.Metadata replacing(Action.Metadata current) {
        return metadata(current.id(), current.createdTime() == null ? 0 : current.createdTime());
    }

    /**
     * How the table as {@code current} describes it differs from this shape, one sentence each; empty when a run of
     * this shape may add to it.
     */
    public List<String> differences(Action.Metadata current) {
        List<String> differences = new ArrayList<>();
        Map<String, String> theirs = TableSchema.columnsOf(current.schemaString());
        Map<String, String> ours = TableSchema.columnsOf(schema.schemaString());
        if (!theirs.equals(ours)) {
            differences.add("the table's columns are " + describe(theirs) + "; this run's are " + describe(ours));
        }
        if (!current.partitionColumns().equals(partitionColumns)) {
            differences.add("the table is partitioned by " + current.partitionColumns() + "; this run by "
                    + partitionColumns);
        }
        Map<String, String> config = current.configuration() == null ? Map.of() : current.configuration();
        if (!java.util.Objects.equals(config.get(SPLIT), configuration.get(SPLIT))) {
            differences.add("the table's rows were split by " + config.getOrDefault(SPLIT, "nothing") + "; this run "
                    + "splits by " + configuration.getOrDefault(SPLIT, "nothing") + ", which would put a key in "
                    + "another split");
        }
        if (!java.util.Objects.equals(config.get(KEYS), configuration.get(KEYS))
                && table.mode() == TableOutput.Mode.MERGE) {
            differences.add("the table was merged by keys " + config.getOrDefault(KEYS, "(none)") + "; this run "
                    + "merges by " + configuration.get(KEYS));
        }
        return differences;
    }

    /** Whether {@code current} needs a newer protocol than this shape's. */
    public boolean needsProtocol(Action.Protocol current) {
        Action.Protocol ours = schema.protocol();
        return current.minReaderVersion() < ours.minReaderVersion() || current.minWriterVersion() < ours.minWriterVersion()
                || (ours.readerFeatures() != null && (current.readerFeatures() == null
                || !current.readerFeatures().containsAll(ours.readerFeatures())));
    }

    private Action.Metadata metadata(String id, long created) {
        return new Action.Metadata(id, name, description.isEmpty() ? null : description, Action.Format.PARQUET,
                schema.schemaString(), partitionColumns, new java.util.TreeMap<>(configuration), created);
    }

    private static String describe(Map<String, String> columns) {
        List<String> parts = new ArrayList<>();
        columns.forEach((n, t) -> parts.add(n + " " + t));
        return "(" + String.join(", ", parts) + ")";
    }

    /** A split as one line of text, the same for the same split. */
    static String splitText(Split split) {
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("keys", split.keys());
        text.put("seed", split.seed());
        Map<String, Double> fractions = new LinkedHashMap<>();
        split.fractions().forEach((n, f) -> fractions.put(n.text(), f));
        text.put("fractions", fractions);
        return LogJson.text(text);
    }
}
