package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.engine.ChunkOutput;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.EngineLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** The engine and the hand-written statement do the same job: the same rows out, the bad ones rejected. */
class BenchPipelineTest {

    @ParameterizedTest
    @EnumSource(BenchPipeline.class)
    void theEngineAndTheHandWrittenStatementWriteTheSameRows(BenchPipeline pipeline, @TempDir Path dir)
            throws Exception {
        Generated g = pipeline.generator(0.04).generate(dir.resolve("input.csv"), 1_000_000, 5, b -> { });
        Path work = Files.createDirectories(dir.resolve("engine"));
        Path input = Files.copy(g.file(), work.resolve("input.csv"));
        ChunkOutput engine = new ChunkTransformer(EngineLimits.DEFAULT).transform(pipeline.definition(), input, work);
        long unparsable = g.dirty().get(Dirt.BAD_NUMBER) + g.dirty().get(Dirt.MISSING_REQUIRED)
                + g.dirty().get(Dirt.RAGGED);
        assertTrue(engine.rowsRejected() >= unparsable, engine.rowsRejected() + " rejected, " + unparsable + " bad");
        assertTrue(engine.rowsOut() < g.rows() - unparsable - g.dirty().get(Dirt.DUPLICATE) + 1,
                engine.rowsOut() + " of " + g.rows());
        long handWritten;
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            handWritten = s.executeUpdate(pipeline.handWritten(g.file(), dir.resolve("out")));
        }
        assertEquals(engine.rowsOut(), handWritten);
        assertTrue(Files.isDirectory(dir.resolve("out").resolve("split=train")));
    }

    @ParameterizedTest
    @EnumSource(BenchPipeline.class)
    void eachDefinitionReadsAndListensUnderBench(BenchPipeline pipeline) {
        assertEquals(pipeline.pipeline(), pipeline.definition().name());
        assertEquals("bench/" + pipeline.label() + "/" + "x.csv", pipeline.landingName("x.csv"));
        assertTrue(pipeline.definition().fileDrop().orElseThrow().match(pipeline.landingName("x.csv")).isPresent());
    }
}
