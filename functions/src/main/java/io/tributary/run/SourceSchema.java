package io.tributary.run;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.column.Column;
import io.tributary.definition.column.ColumnType;
import java.util.List;
import java.util.Optional;

/**
 * The columns one run reads from its source, decided once per run and recorded in its manifest: the
 * declared ones, or the ones inferred from a sample of the input, and what the drift policy did with the
 * columns the definition does not declare.
 *
 * @param origin  {@code declared} or {@code inferred}
 * @param policy  the definition's schema drift policy
 * @param columns the columns read, in file order for CSV (ignored ones included)
 * @param added   columns read beyond the declared ones ({@code evolve}), kept, nullable
 * @param ignored columns read beyond the declared ones ({@code ignore}), dropped after parsing
 */
public record SourceSchema(String origin, String policy, List<SchemaColumn> columns, List<String> added,
                           List<String> ignored) {

    public SourceSchema {
        columns = List.copyOf(columns);
        added = added == null ? List.of() : List.copyOf(added);
        ignored = ignored == null ? List.of() : List.copyOf(ignored);
    }

    /** The definition's own columns, as declared. */
    public static SourceSchema declared(PipelineDefinition definition) {
        return new SourceSchema("declared", definition.schemaDrift(),
                definition.columns().stream().map(SchemaColumn::of).toList(), List.of(), List.of());
    }

    /**
     * Whether the column named {@code name} had its type inferred from a sample rather than declared: its values
     * must then be written as its type writes them, or be rejected.
     */
    public boolean isInferred(String name) {
        return origin.equals("inferred") || added.contains(name);
    }

    /** The columns to read, typed. */
    public List<Column> toColumns() {
        return columns.stream().map(SchemaColumn::toColumn).toList();
    }

    /** One column as recorded: its type as a definition writes it. */
    public record SchemaColumn(String name, String type, boolean nullable, String timeZone) {

        /** The column as recorded: its type as a definition writes it, and its time zone if it has one. */
        public static SchemaColumn of(Column column) {
            return new SchemaColumn(column.name(), column.type().toString(), column.nullable(),
                    column.timeZone().orElse(null));
        }

        Column toColumn() {
            return new Column(name, ColumnType.parse(type), nullable, Optional.ofNullable(timeZone));
        }
    }
}
