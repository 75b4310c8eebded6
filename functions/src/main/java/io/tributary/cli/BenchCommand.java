package io.tributary.cli;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkOutput;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.EngineLimits;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code tributary bench [--rows N] [--runs R]}: the engine against one hand-written DuckDB statement
 * doing the same job (typed parse, filter, derive, dedupe, expectations that drop rows, a split into
 * Parquet) on the same generated CSV, in the same process and with the same limits. Prints both
 * throughputs and their ratio; asserts nothing.
 */
final class BenchCommand implements Main.Command {

    static final String DEFINITION = """
            {"schemaVersion": 1, "name": "bench", "source": {"format": "csv"},
             "columns": [{"name": "event_id", "type": "long", "nullable": false},
                         {"name": "user_id", "type": "string", "nullable": false},
                         {"name": "ts", "type": "timestamp"},
                         {"name": "amount", "type": "decimal(12,2)"},
                         {"name": "country", "type": "string"},
                         {"name": "clicks", "type": "int"}],
             "steps": [{"op": "filter", "where": "amount >= 0"},
                       {"op": "derive", "columns": {"hour": "hour(ts)", "big": "amount > 100"}},
                       {"op": "dedupe", "keys": ["event_id"], "orderBy": ["ts"], "keep": "last"}],
             "expectations": [{"expect": "between", "column": "clicks", "min": 0, "max": 1000, "onFailure": "drop"},
                              {"expect": "notNull", "column": "country", "onFailure": "drop"}],
             "split": {"keys": ["user_id"], "seed": 1, "fractions": {"train": 0.8, "validation": 0.1, "test": 0.1}},
             "output": {"format": "parquet", "compression": "zstd"}}""";

    private final Workspace workspace;
    private final PrintStream out;

    BenchCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of(), Set.of("rows", "runs"));
        long rows = args.number("rows", 1_000_000);
        int runs = (int) Math.min(args.number("runs", 3), 20);
        Path dir = workspace.stateDir().resolve("bench");
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            Path csv = dir.resolve("input.csv");
            out.printf("Generating %,d rows…%n", rows);
            generate(csv, rows);
            long bytes = Files.size(csv);
            PipelineDefinition definition = DefinitionReader.read("bench.json", DEFINITION, null).definition()
                    .orElseThrow();
            EngineLimits limits = EngineLimits.DEFAULT;
            out.printf("Input: %,d rows, %.1f MB of CSV; engine limits: %s memory, %d thread(s); best of %d runs%n",
                    rows, bytes / 1e6, limits.memoryLimit(), limits.threads(), runs);
            double engine = Double.MAX_VALUE;
            double handWritten = Double.MAX_VALUE;
            long engineRows = 0;
            long handWrittenRows = 0;
            for (int run = 0; run < runs; run++) {
                Path work = dir.resolve("engine-" + run);
                Files.createDirectories(work);
                Path input = Files.copy(csv, work.resolve("input.csv"));
                long start = System.nanoTime();
                ChunkOutput output = new ChunkTransformer(limits).transform(definition, input, work);
                engine = Math.min(engine, (System.nanoTime() - start) / 1e9);
                engineRows = output.rowsOut();
                deleteTree(work);
                Timed peer = handWritten(csv, dir.resolve("peer-" + run), limits);
                handWritten = Math.min(handWritten, peer.seconds());
                handWrittenRows = peer.rows();
                deleteTree(dir.resolve("peer-" + run));
            }
            out.printf("  Tributary engine      %6.2f s  %7.1f MB/s  %,12.0f rows/s  (%,d rows out)%n",
                    engine, bytes / 1e6 / engine, rows / engine, engineRows);
            out.printf("  hand-written DuckDB   %6.2f s  %7.1f MB/s  %,12.0f rows/s  (%,d rows out)%n",
                    handWritten, bytes / 1e6 / handWritten, rows / handWritten, handWrittenRows);
            out.printf("  ratio (engine / hand-written throughput): %.2f%n", handWritten / engine);
            deleteTree(dir);
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How long a run took, and the rows it wrote. */
    private record Timed(double seconds, long rows) {
    }

    /** The same job as one statement, as a DuckDB user would write it by hand. */
    private static Timed handWritten(Path csv, Path work, EngineLimits limits) throws IOException {
        Files.createDirectories(work.resolve("spill"));
        // The split bucket is md5_number(...) % 1000000 computed on the hash's 64-bit halves, as the engine does
        // (DuckDB's UHUGEINT remainder alone would cost more than the rest of the statement).
        String hash = "md5_number('1' || chr(31) || coalesce(CAST(user_id AS VARCHAR), ''))";
        String bucket = "((((" + hash + " >> 64)::UBIGINT % 1000000) * 551616 + (" + hash
                + " & 18446744073709551615)::UBIGINT % 1000000) % 1000000)";
        String sql = "COPY (SELECT *, CASE WHEN " + bucket + " < 800000 THEN 'train' WHEN " + bucket
                + " < 900000 THEN 'validation' ELSE 'test' END AS split FROM ("
                + "SELECT *, hour(ts) AS hour, amount > 100 AS big FROM read_csv('" + csv + "', header = true, "
                + "auto_detect = false, store_rejects = true, ignore_errors = true, columns = {'event_id': 'BIGINT', "
                + "'user_id': 'VARCHAR', 'ts': 'TIMESTAMP', 'amount': 'DECIMAL(12,2)', 'country': 'VARCHAR', "
                + "'clicks': 'INTEGER'}) WHERE amount >= 0 "
                + "QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY ts DESC NULLS LAST) = 1) "
                + "WHERE (clicks IS NULL OR (clicks >= 0 AND clicks <= 1000)) AND country IS NOT NULL) "
                + "TO '" + work.resolve("out") + "' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (split))";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            s.execute("SET memory_limit='" + limits.memoryLimit() + "'");
            s.execute("SET threads=" + limits.threads());
            s.execute("SET temp_directory='" + work.resolve("spill") + "'");
            long start = System.nanoTime();
            long written = s.executeUpdate(sql);
            return new Timed((System.nanoTime() - start) / 1e9, written);
        } catch (SQLException e) {
            throw new IllegalStateException("the hand-written statement failed: " + e.getMessage(), e);
        }
    }

    /** Event rows with some duplicates, negative amounts, out-of-range clicks, missing countries. */
    static void generate(Path csv, long rows) throws IOException {
        Random random = new Random(42);
        String[] countries = {"DE", "FR", "NL", "PL", "ES", "IT", ""};
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("event_id,user_id,ts,amount,country,clicks\n");
            for (long i = 0; i < rows; i++) {
                long id = random.nextInt(100) == 0 ? Math.max(0, i - 1 - random.nextInt(50)) : i;
                w.write(id + ",u" + random.nextInt(50_000) + ",2026-11-" + (10 + random.nextInt(10)) + " "
                        + (10 + random.nextInt(12)) + ":" + (10 + random.nextInt(50)) + ":00,"
                        + (random.nextInt(50) == 0 ? "-" : "") + random.nextInt(500) + "." + (10 + random.nextInt(90))
                        + "," + countries[random.nextInt(countries.length)] + "," + (random.nextInt(1100) - 50) + "\n");
            }
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
