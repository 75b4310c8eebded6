package io.tributary.bench;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.read.Problem;
import java.math.BigInteger;
import java.nio.file.Path;

/**
 * The bench's two pipelines, each a definition as a user writes it (read by {@link DefinitionReader}), the data it
 * runs on, and the same job written by hand as one DuckDB statement: a typed parse that skips bad rows, a filter,
 * derived columns, a dedupe, an expectation that drops rows and a three-way split into Parquet.
 */
public enum BenchPipeline {

    TELEMETRY("bench-telemetry", "telemetry", """
            {"schemaVersion": 1, "name": "bench-telemetry",
             "trigger": {"type": "fileDrop", "path": "bench/telemetry/*.csv"},
             "source": {"format": "csv", "header": true},
             "columns": [{"name": "device_id", "type": "string", "nullable": false},
                         {"name": "ts", "type": "timestamp", "nullable": false},
                         {"name": "temp_c", "type": "double"},
                         {"name": "humidity", "type": "double"},
                         {"name": "battery_pct", "type": "int"},
                         {"name": "door", "type": "string"},
                         {"name": "firmware", "type": "string"}],
             "steps": [{"op": "filter", "where": "battery_pct > 0"},
                       {"op": "fillNull", "columns": {"door": "closed"}},
                       {"op": "derive", "columns": {"hour": "hour(ts)", "temp_f": "round(temp_c * 9 / 5 + 32, 1)",
                                                    "excursion": "temp_c > 8"}},
                       {"op": "dedupe", "keys": ["device_id", "ts"], "orderBy": ["ts"]},
                       {"op": "drop", "columns": ["firmware"]}],
             "expectations": [{"expect": "between", "column": "temp_c", "min": -40, "max": 85, "onFailure": "drop"}],
             "split": {"keys": ["device_id"], "seed": 7, "fractions": {"train": 0.7, "validation": 0.15, "test": 0.15}},
             "output": {"format": "parquet", "compression": "zstd"}}""") {
        @Override
        public DataGenerator generator(double dirtyShare) {
            return new TelemetryGenerator(dirtyShare);
        }

        @Override
        public String handWritten(Path csv, Path out) {
            return "COPY (SELECT * EXCLUDE (firmware), " + split("7", "device_id", 700_000, 850_000) + " AS split FROM ("
                    + "SELECT * REPLACE (coalesce(door, 'closed') AS door), hour(ts) AS hour, "
                    + "round(temp_c * 9 / 5 + 32, 1) AS temp_f, temp_c > 8 AS excursion "
                    + "FROM read_csv(" + literal(csv) + ", header = true, auto_detect = false, store_rejects = true, "
                    + "ignore_errors = true, columns = {'device_id': 'VARCHAR', 'ts': 'TIMESTAMP', 'temp_c': 'DOUBLE', "
                    + "'humidity': 'DOUBLE', 'battery_pct': 'INTEGER', 'door': 'VARCHAR', 'firmware': 'VARCHAR'}) "
                    + "WHERE device_id IS NOT NULL AND battery_pct > 0 "
                    + "QUALIFY row_number() OVER (PARTITION BY device_id, ts ORDER BY ts) = 1) "
                    + "WHERE temp_c IS NULL OR (temp_c >= -40 AND temp_c <= 85)) "
                    + "TO " + literal(out) + " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (split))";
        }
    },

    CONTACTS("bench-contacts", "contacts", """
            {"schemaVersion": 1, "name": "bench-contacts",
             "trigger": {"type": "fileDrop", "path": "bench/contacts/*.csv"},
             "source": {"format": "csv", "header": true},
             "columns": [{"name": "contact_id", "type": "string", "nullable": false},
                         {"name": "updated_at", "type": "timestamp", "nullable": false},
                         {"name": "email", "type": "string"},
                         {"name": "lifecycle", "type": "string"},
                         {"name": "deal_value", "type": "decimal(12,2)"},
                         {"name": "country", "type": "string"},
                         {"name": "marketing", "type": "boolean"}],
             "steps": [{"op": "filter", "where": "email NOT LIKE '%@test.example'"},
                       {"op": "dedupe", "keys": ["contact_id"], "orderBy": ["updated_at"], "keep": "last"},
                       {"op": "derive", "columns": {"email_domain": "split_part(email, '@', 2)",
                                                    "converted": "lifecycle = 'customer'"}},
                       {"op": "fillNull", "columns": {"deal_value": 0, "marketing": false}},
                       {"op": "drop", "columns": ["email"]}],
             "expectations": [{"expect": "inSet", "column": "lifecycle",
                               "values": ["lead", "prospect", "customer", "churned"], "onFailure": "drop"}],
             "split": {"keys": ["contact_id"], "seed": 17, "fractions": {"train": 0.8, "validation": 0.1, "test": 0.1}},
             "output": {"format": "parquet", "compression": "zstd"}}""") {
        @Override
        public DataGenerator generator(double dirtyShare) {
            return new ContactsGenerator(dirtyShare);
        }

        @Override
        public String handWritten(Path csv, Path out) {
            return "COPY (SELECT * EXCLUDE (email), " + split("17", "contact_id", 800_000, 900_000) + " AS split FROM ("
                    + "SELECT * REPLACE (coalesce(deal_value, 0) AS deal_value, coalesce(marketing, false) AS marketing), "
                    + "split_part(email, '@', 2) AS email_domain, lifecycle = 'customer' AS converted "
                    + "FROM read_csv(" + literal(csv) + ", header = true, auto_detect = false, store_rejects = true, "
                    + "ignore_errors = true, columns = {'contact_id': 'VARCHAR', 'updated_at': 'TIMESTAMP', "
                    + "'email': 'VARCHAR', 'lifecycle': 'VARCHAR', 'deal_value': 'DECIMAL(12,2)', 'country': 'VARCHAR', "
                    + "'marketing': 'BOOLEAN'}) "
                    + "WHERE contact_id IS NOT NULL AND email NOT LIKE '%@test.example' "
                    + "QUALIFY row_number() OVER (PARTITION BY contact_id ORDER BY updated_at DESC NULLS LAST) = 1) "
                    + "WHERE lifecycle IS NULL OR lifecycle IN ('lead', 'prospect', 'customer', 'churned')) "
                    + "TO " + literal(out) + " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (split))";
        }
    };

    private final String pipeline;
    private final String label;
    private final String definition;

    BenchPipeline(String pipeline, String label, String definition) {
        this.pipeline = pipeline;
        this.label = label;
        this.definition = definition;
    }

    /** The pipeline's name (and its definition file's, without {@code .json}). */
    public String pipeline() {
        return pipeline;
    }

    /** What the data is, in a word. */
    public String label() {
        return label;
    }

    /** The definition's JSON text. */
    public String definitionJson() {
        return definition;
    }

    /** The definition, read as {@code pipeline-defs/{pipeline}.json} would be. */
    public PipelineDefinition definition() {
        DefinitionResult read = DefinitionReader.read(pipeline + ".json", definition, pipeline);
        return read.definition().orElseThrow(() -> new IllegalStateException("the bench's " + pipeline
                + " definition does not read: " + read.problems().stream().map(Problem::format).toList()));
    }

    /** Where a file dropped for this pipeline goes in the landing container. */
    public String landingName(String file) {
        return "bench/" + label + "/" + file;
    }

    public abstract DataGenerator generator(double dirtyShare);

    /** The same job as one DuckDB statement writing Parquet files under {@code out}, as a DuckDB user writes it. */
    public abstract String handWritten(Path csv, Path out);

    /**
     * The split, by hand: MD5 of the seed and the key, its remainder by a million computed on the hash's two 64-bit
     * halves (DuckDB's own remainder of a 128-bit integer costs about a second more per million rows), cut at the
     * cumulative fractions.
     */
    static String split(String seed, String key, long first, long second) {
        String hash = "md5_number('" + seed + "' || chr(31) || coalesce(CAST(" + key + " AS VARCHAR), ''))";
        long wrap = BigInteger.ONE.shiftLeft(64).mod(BigInteger.valueOf(1_000_000)).longValue();
        String bucket = "((((" + hash + " >> 64)::UBIGINT % 1000000) * " + wrap + " + (" + hash
                + " & 18446744073709551615)::UBIGINT % 1000000) % 1000000)";
        return "CASE WHEN " + bucket + " < " + first + " THEN 'train' WHEN " + bucket + " < " + second
                + " THEN 'validation' ELSE 'test' END";
    }

    private static String literal(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }
}
