package io.tributary.definition.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads {@code "output"}: the dataset's file format, compression, partition columns, file size and table. */
public final class OutputReader {

    private final Fields fields;

    /** A reader that reports its problems to {@code fields}. */
    public OutputReader(Fields fields) {
        this.fields = fields;
    }

    /**
     * The output {@code node} describes; {@link Output#DEFAULT} when absent or when its format or compression is
     * unknown.
     *
     * @param finalColumns the column names after the last step, or null when only the engine can tell
     */
    public Output output(JsonNode node, List<String> finalColumns) {
        if (node == null || !fields.object(node, "/output", Set.of("format", "compression", "partitionBy",
                "targetFileSize", "table", "azureml"))) {
            return Output.DEFAULT;
        }
        String format = fields.string(node, "/output", "format", false);
        if (format == null) {
            format = "parquet";
        } else if (!Output.FORMATS.contains(format)) {
            fields.problem("/output/format", "unknown output format '" + format + "'"
                    + Suggestions.didYouMean(format, Output.FORMATS) + "; allowed: " + String.join(", ", Output.FORMATS));
            return Output.DEFAULT;
        }
        String compression = fields.string(node, "/output", "compression", false);
        List<String> codecs = Output.CODECS.get(format);
        if (compression != null && !codecs.contains(compression)) {
            fields.problem("/output/compression", "unknown compression '" + compression + "' for " + format
                    + Suggestions.didYouMean(compression, codecs) + "; allowed: " + String.join(", ", codecs));
            return Output.DEFAULT;
        }
        List<String> partitionBy = partitionBy(node.get("partitionBy"), finalColumns);
        long targetFileBytes = Output.DEFAULT_TARGET_FILE_BYTES;
        String size = fields.string(node, "/output", "targetFileSize", false);
        if (size != null) {
            try {
                targetFileBytes = Output.parseSize(size);
            } catch (IllegalArgumentException e) {
                fields.problem("/output/targetFileSize", e.getMessage());
            }
            if (targetFileBytes < 1024) {
                fields.problem("/output/targetFileSize", "a file of " + size + " holds next to nothing; give at least 1KB");
                targetFileBytes = Output.DEFAULT_TARGET_FILE_BYTES;
            }
        }
        TableOutput table = new TableReader(fields).table(node.get("table"), finalColumns).orElse(null);
        if (size == null && table != null && table.mode() == TableOutput.Mode.MERGE) {
            // A merge rewrites each file that holds a changed key: smaller files keep what it rewrites small.
            targetFileBytes = TableOutput.MERGE_TARGET_FILE_BYTES;
        }
        if (table != null && !format.equals("parquet")) {
            fields.problem("/output/format", "a table holds Parquet files; remove \"format\" or set it to "
                    + "\"parquet\" (or remove \"table\" for a dataset of " + format + " files per run)");
            table = null;
        }
        AzureMlOutput azureml = azureml(node.get("azureml"));
        if (azureml != null && table == null) {
            if (!node.has("table")) {
                fields.problemAtKey("/output/azureml", "data assets are registered for the versions of a table: add "
                        + "\"table\" to \"output\", or remove \"azureml\"");
            }
            azureml = null;
        }
        return new Output(format, compression == null ? Output.defaultCompression(format) : compression, partitionBy,
                targetFileBytes, table, azureml);
    }

    /** The columns that make partition folders: each must exist after the last step, and be named once. */
    private List<String> partitionBy(JsonNode node, List<String> finalColumns) {
        List<String> columns = new ArrayList<>();
        if (node == null) {
            return columns;
        }
        if (!node.isArray() || node.isEmpty()) {
            fields.problem("/output/partitionBy", "expected a non-empty array of column names, e.g. [\"region\"], found "
                    + Fields.describe(node));
            return columns;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = "/output/partitionBy/" + i;
            JsonNode column = node.get(i);
            if (!column.isTextual()) {
                fields.problem(at, "expected a column name, found " + Fields.describe(column));
            } else if (finalColumns != null && !finalColumns.contains(column.asText())) {
                fields.problem(at, "no column '" + column.asText() + "' after the last step"
                        + Suggestions.didYouMean(column.asText(), finalColumns) + "; available: "
                        + String.join(", ", finalColumns));
            } else if (columns.contains(column.asText())) {
                fields.problem(at, "column '" + column.asText() + "' is named twice");
            } else {
                columns.add(column.asText());
            }
        }
        return columns;
    }

    /** {@code output.azureml}: the assets' name and the datastore; null when absent or unreadable. */
    private AzureMlOutput azureml(JsonNode node) {
        if (node == null || !fields.object(node, "/output/azureml", Set.of("asset", "datastore"))) {
            return null;
        }
        String asset = fields.string(node, "/output/azureml", "asset", true);
        String datastore = fields.string(node, "/output/azureml", "datastore", false);
        boolean good = true;
        if (asset != null && !AzureMlOutput.NAME.matcher(asset).matches()) {
            fields.problem("/output/azureml/asset", "'" + asset + "' cannot name a data asset: a letter or digit, then "
                    + "letters, digits, '-' and '_', at most 191 characters (the split is added: orders-train)");
            good = false;
        }
        if (datastore != null && !AzureMlOutput.DATASTORE.matcher(datastore).matches()) {
            fields.problem("/output/azureml/datastore", "'" + datastore + "' cannot name a datastore: letters, digits "
                    + "and '_'");
            good = false;
        }
        return asset == null || !good ? null
                : new AzureMlOutput(asset, datastore == null ? AzureMlOutput.DEFAULT_DATASTORE : datastore);
    }
}
