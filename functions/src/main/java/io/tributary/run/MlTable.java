package io.tributary.run;

/**
 * The {@code MLTable} file Azure Machine Learning reads to register a folder of Parquet files as a
 * table: one per split, beside its parts.
 */
public final class MlTable {

    private MlTable() {
    }

    /** The file's text for a folder of Parquet parts. */
    public static String forParquet() {
        return """
                $schema: https://azuremlschemas.azureedge.net/latest/MLTable.schema.json
                type: mltable
                paths:
                  - pattern: ./*.parquet
                transformations:
                  - read_parquet
                """;
    }
}
