package io.tributary.run;

import io.tributary.definition.output.Output;
import io.tributary.definition.output.SplitName;

/**
 * The {@code MLTable} file Azure Machine Learning reads to register a folder of files as a table: one
 * per split, beside its parts.
 */
public final class MlTable {

    private MlTable() {
    }

    /** The file's text for a folder of parts written as {@code output}. */
    public static String of(Output output) {
        String read = switch (output.format()) {
            case "parquet" -> "  - read_parquet\n";
            case "csv" -> "  - read_delimited:\n      delimiter: ','\n      header: all_files_same_headers\n"
                    + "      encoding: utf8\n";
            default -> "  - read_json_lines:\n      encoding: utf8\n";
        };
        return "$schema: https://azuremlschemas.azureedge.net/latest/MLTable.schema.json\n"
                + "type: mltable\n"
                + "paths:\n"
                + "  - pattern: ./" + (output.partitionBy().isEmpty() ? "" : "**/") + "*" + output.extension() + "\n"
                + "transformations:\n"
                + read;
    }

    /**
     * The file's text for one split of a table at {@code version}: read from the table's folder, two levels above the
     * run's split folder where the file lies, at that version, and, when the table has splits, only the split's rows.
     *
     * @param split the split, or null for a table without splits
     */
    public static String ofTable(long version, SplitName split) {
        return "$schema: https://azuremlschemas.azureedge.net/latest/MLTable.schema.json\n"
                + "type: mltable\n"
                + "paths:\n"
                + "  - folder: ../../" + RunLayout.TABLE + "/\n"
                + "transformations:\n"
                + "  - read_delta_lake:\n"
                + "      version_as_of: " + version + "\n"
                + (split == null ? "" : "  - filter: 'col(\"" + RunLayout.SPLIT_PARTITION + "\") == \"" + split.text()
                + "\"'\n");
    }
}
