package io.tributary.engine;

import static io.tributary.definition.sql.SqlText.literal;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.column.Column;
import io.tributary.definition.source.SourceFormat;
import io.tributary.run.SourceSchema.SchemaColumn;
import io.tributary.run.SourceSchema;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides the columns a run reads, from a sample of its input: every column when the definition declares
 * none, and, under the {@code ignore} and {@code evolve} drift policies, the columns the source has beyond
 * the declared ones. Types are inferred by DuckDB's sniffer over the whole sample.
 */
public final class SchemaProbe {

    private final EngineLimits limits;

    public SchemaProbe(EngineLimits limits) {
        this.limits = limits;
    }

    /** The limits the probe samples within, which extract decodes a source within too. */
    public EngineLimits limits() {
        return limits;
    }

    /** Whether a run of {@code definition} needs a sample of its input to know its columns. */
    public static boolean needsSample(PipelineDefinition definition) {
        return definition.columns().isEmpty() || !definition.schemaDrift().equals("fail");
    }

    /**
     * The run's columns, from {@code sample} (inside {@code workDir}): the input's first bytes as they were dropped
     * (decoded here, at most the definition's {@code inferenceSample} of them read).
     *
     * @param complete whether the sample is the whole input; if not, its last, cut-off line is not read
     * @throws TransformFailedException when the input lacks declared columns or cannot be sampled
     */
    public SourceSchema probe(PipelineDefinition definition, Path sample, boolean complete, Path workDir) {
        if (!needsSample(definition)) {
            return SourceSchema.declared(definition);
        }
        SourceFormat source = definition.source();
        Path work = workDir.toAbsolutePath().normalize();
        long sampleBytes = definition.inferenceSample();
        SourceDecoder.Decoded decoded = SourceDecoder.decode(source, sample.toAbsolutePath().normalize(), complete,
                sampleBytes, work, limits);
        sample = decoded.file();
        if (!decoded.complete() && (source.isCsv() || source.isJsonLines())) {
            cutAtLastLine(sample, sampleBytes);
        }
        try (Connection db = Sandbox.open(limits, work)) {
            Map<String, String> sniffed = sniff(db, source, sample);
            textOfMixedFields(db, source, sample, sniffed);
            if (definition.columns().isEmpty()) {
                List<SchemaColumn> columns = new ArrayList<>();
                sniffed.forEach((name, type) -> columns.add(inferred(name, type, source)));
                return new SourceSchema("inferred", definition.schemaDrift(), columns, List.of(), List.of());
            }
            return drift(definition, sniffed);
        } catch (SQLException e) {
            Sandbox.spillLimitReached(e, limits).ifPresent(full -> {
                throw full;
            });
            String said = ChunkTransformer.withoutPath(ChunkTransformer.firstLine(e), sample);
            if (source.isParquet() || (!source.isCsv() && said.startsWith("Invalid Input Error"))) {
                // The sample is not in the declared format: the same input fails a declared-columns run so.
                throw TransformFailedException.wrongFormat("the source cannot be read as " + (source.isParquet()
                        ? "Parquet" : source.isJsonLines() ? "JSON Lines" : "a JSON array") + ": " + said
                        + "; check the file, or the source's \"format\"", e);
            }
            throw new TransformFailedException("the input's columns cannot be inferred from its first "
                    + size(sampleBytes) + ": " + said + "; declare \"columns\", or give a larger \"inferenceSample\"", e);
        }
    }

    /** Declared columns kept as declared; the others ignored or added, per the policy. */
    private static SourceSchema drift(PipelineDefinition definition, Map<String, String> sniffed) {
        boolean evolve = definition.schemaDrift().equals("evolve");
        Map<String, Column> declared = new LinkedHashMap<>();
        definition.columns().forEach(c -> declared.put(c.name(), c));
        List<SchemaColumn> columns = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        if (!definition.source().isCsv()) {
            // A JSON source reads fields by name: the declared ones first, then the ones it adds.
            declared.values().forEach(c -> columns.add(SchemaColumn.of(c)));
        }
        sniffed.forEach((name, type) -> {
            // Parquet columns are matched by name regardless of case, as ParquetParse reads them.
            Column column = definition.source().isParquet() ? declared.values().stream()
                    .filter(c -> c.name().equalsIgnoreCase(name)).findFirst().orElse(null) : declared.get(name);
            if (column != null) {
                if (definition.source().isCsv()) {
                    columns.add(SchemaColumn.of(column));
                }
            } else if (evolve) {
                columns.add(inferred(name, type, definition.source()));
                added.add(name);
            } else if (definition.source().isCsv()) {
                columns.add(new SchemaColumn(name, "string", true, null));
                ignored.add(name);
            } else {
                ignored.add(name);
            }
        });
        List<String> missing = declared.keySet().stream().filter(n -> !sniffed.containsKey(n)).toList();
        if (!missing.isEmpty() && definition.source().isCsv()) {
            throw new TransformFailedException("the source's header lacks the declared column" + (missing.size() == 1
                    ? " " : "s ") + String.join(", ", missing) + "; its columns are " + String.join(", ",
                    sniffed.keySet()) + " (declare only columns the source has)", null);
        }
        return new SourceSchema("declared", definition.schemaDrift(), columns, added, ignored);
    }

    /** Column name → DuckDB type, as DuckDB's sniffer reads the sample. */
    private static Map<String, String> sniff(Connection db, SourceFormat source, Path sample) throws SQLException {
        String path = literal(sample.toString());
        String reader = source.isCsv()
                ? "read_csv(" + path + ", header = " + source.header() + ", delim = " + literal(String.valueOf(
                        source.delimiter())) + ", quote = " + literal(String.valueOf(source.quote())) + ", escape = "
                        + literal(String.valueOf(source.escape())) + ", nullstr = " + nullStrings(source)
                        + source.timestampFormat().map(f -> ", timestampformat = " + literal(f)).orElse("")
                        + source.dateFormat().map(f -> ", dateformat = " + literal(f)).orElse("")
                        + ", compression = 'none', sample_size = -1, ignore_errors = true)"
                : source.isParquet() ? "read_parquet(" + path + ")"
                : "read_json(" + path + ", format = " + (source.isJsonLines() ? "'newline_delimited'"
                        : "'array'") + ", compression = 'none', sample_size = -1, ignore_errors = true"
                        + source.timestampFormat().map(f -> ", timestampformat = " + literal(f)).orElse("")
                        + source.dateFormat().map(f -> ", dateformat = " + literal(f)).orElse("") + ")";
        Map<String, String> columns = new LinkedHashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + reader)) {
            while (rs.next()) {
                columns.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        }
        return columns;
    }

    /**
     * A JSON field whose sampled values mix strings, numbers and booleans (which DuckDB reads as JSON) holds text:
     * it becomes a string column, each value its text as written, rather than JSON with a string's quotes kept. A
     * field with an object or array among its values stays JSON.
     */
    private static void textOfMixedFields(Connection db, SourceFormat source, Path sample, Map<String, String> sniffed)
            throws SQLException {
        if (source.isCsv() || source.isParquet()) {
            return;
        }
        String records = "read_json_objects(" + literal(sample.toString()) + ", format = " + (source.isJsonLines()
                ? "'newline_delimited'" : "'array'") + ", compression = 'none', ignore_errors = true)";
        for (Map.Entry<String, String> field : sniffed.entrySet()) {
            if (!field.getValue().equals("JSON")) {
                continue;
            }
            String path = literal("$." + io.tributary.definition.sql.SqlText.identifier(field.getKey()));
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + records
                    + " WHERE json_type(json, " + path + ") IN ('OBJECT', 'ARRAY')")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    field.setValue("VARCHAR");
                }
            }
        }
    }

    private static String size(long bytes) {
        return bytes % (1 << 20) == 0 ? bytes / (1 << 20) + " MiB" : bytes / 1024 + " KiB";
    }

    private static String nullStrings(SourceFormat source) {
        return source.nullString().isEmpty() ? "['']" : "['', " + literal(source.nullString()) + "]";
    }

    /** A sniffed column as a definition would declare it: nullable, in the nearest type the language has. */
    static SchemaColumn inferred(String name, String duckType, SourceFormat source) {
        String type = duckType.toUpperCase(Locale.ROOT);
        String timeZone = null;
        String declared;
        if (Set.of("BIGINT", "HUGEINT", "UBIGINT", "UINTEGER").contains(type)) {
            declared = "long";
        } else if (Set.of("INTEGER", "SMALLINT", "TINYINT", "USMALLINT", "UTINYINT").contains(type)) {
            declared = "int";
        } else if (type.equals("DOUBLE") || type.equals("FLOAT")) {
            declared = "double";
        } else if (type.startsWith("DECIMAL")) {
            declared = type.toLowerCase(Locale.ROOT).replace(" ", "");
        } else if (type.equals("BOOLEAN")) {
            declared = "boolean";
        } else if (type.equals("DATE")) {
            declared = "date";
        } else if (type.equals("TIMESTAMP WITH TIME ZONE")) {
            declared = "timestamp";
            timeZone = "UTC";
        } else if (type.startsWith("TIMESTAMP")) {
            declared = "timestamp";
        } else if (!source.isCsv() && (type.equals("JSON") || type.startsWith("STRUCT") || type.startsWith("MAP")
                || type.endsWith("]"))) {
            declared = "json";
        } else {
            declared = "string";
        }
        return new SchemaColumn(name, declared, true, timeZone);
    }

    /** Drops a partial last line, so a sample cut mid-record does not read as a malformed one. */
    private static void cutAtLastLine(Path sample, long sampleBytes) {
        try (RandomAccessFile file = new RandomAccessFile(sample.toFile(), "rw")) {
            long end = file.length();
            long position = end - 1;
            while (position >= 0) {
                file.seek(position);
                if (file.read() == '\n') {
                    break;
                }
                position--;
            }
            if (position < 0) {
                throw new TransformFailedException("the input's first record is longer than the "
                        + size(sampleBytes) + " its columns are inferred from; declare \"columns\", or give a larger "
                        + "\"inferenceSample\"", null);
            }
            file.setLength(position + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
