package io.tributary.bench;

import io.tributary.engine.ChunkOutput;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.EngineLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * (a) The engine on a local file against one hand-written DuckDB statement doing the same job on the same file,
 * in this process, with the same limits; best of {@code runs} each.
 */
final class EngineSection {

    /** One pipeline's figures: its input, the best times, and the rows each wrote. */
    record Figures(BenchPipeline pipeline, long bytes, double engineSeconds, long engineRows, double duckdbSeconds,
                   long duckdbRows) {
    }

    private final EngineLimits limits;
    private final int runs;
    private final Progress progress;

    EngineSection(EngineLimits limits, int runs, Progress progress) {
        this.limits = limits;
        this.runs = runs;
        this.progress = progress;
    }

    /** Runs each input once through both, untimed: the first run in a process pays for loading DuckDB's library. */
    void warmUp(List<Input> inputs, Path dir) throws IOException {
        for (Input input : inputs) {
            Path work = Files.createDirectories(dir.resolve("warm-up"));
            Path file = Files.copy(input.generated().file(), work.resolve("input.csv"));
            new ChunkTransformer(limits).transform(input.pipeline().definition(), file, work);
            Trees.delete(work);
            Path peer = Files.createDirectories(dir.resolve("warm-up-duckdb"));
            handWritten(input, peer, new long[1]);
            Trees.delete(peer);
        }
    }

    List<Figures> run(List<Input> inputs, Path dir) throws IOException {
        List<Figures> figures = new ArrayList<>();
        for (Input input : inputs) {
            double engine = Double.MAX_VALUE;
            double duckdb = Double.MAX_VALUE;
            long engineRows = 0;
            long duckdbRows = 0;
            for (int run = 1; run <= runs; run++) {
                Path work = Files.createDirectories(dir.resolve("engine-" + run));
                Path file = Files.copy(input.generated().file(), work.resolve("input.csv"));
                long start = System.nanoTime();
                ChunkOutput output = new ChunkTransformer(limits).transform(input.pipeline().definition(), file, work);
                double seconds = (System.nanoTime() - start) / 1e9;
                engine = Math.min(engine, seconds);
                engineRows = output.rowsOut();
                Files.deleteIfExists(file);
                Trees.delete(work);
                Path peer = Files.createDirectories(dir.resolve("duckdb-" + run));
                long[] written = new long[1];
                double peerSeconds = handWritten(input, peer, written);
                duckdb = Math.min(duckdb, peerSeconds);
                duckdbRows = written[0];
                Trees.delete(peer);
                progress.say(String.format("  %s run %d/%d: engine %.2f s, hand-written DuckDB %.2f s",
                        input.pipeline().label(), run, runs, seconds, peerSeconds));
            }
            figures.add(new Figures(input.pipeline(), input.generated().bytes(), engine, engineRows, duckdb, duckdbRows));
        }
        return figures;
    }

    private double handWritten(Input input, Path work, long[] written) throws IOException {
        Files.createDirectories(work.resolve("spill"));
        String sql = input.pipeline().handWritten(input.generated().file(), work.resolve("out"));
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            s.execute("SET memory_limit='" + limits.memoryLimit() + "'");
            s.execute("SET threads=" + limits.threads());
            s.execute("SET temp_directory='" + work.resolve("spill") + "'");
            long start = System.nanoTime();
            written[0] = s.executeUpdate(sql);
            return (System.nanoTime() - start) / 1e9;
        } catch (SQLException e) {
            throw new IllegalStateException("the hand-written " + input.pipeline().label() + " statement failed: "
                    + e.getMessage(), e);
        }
    }
}
