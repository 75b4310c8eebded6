package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny bench end to end: its own Azurite, the host in JVMs of its own, tables of 20 versions and 100,000 rows,
 * every section measured, every figure there. (The figures of so little data say nothing of speed; the README's come from {@code ./tributary bench}.)
 */
class BenchIT {

    @Test
    void aTinyBenchMeasuresEverySectionThroughAzurite(@TempDir Path dir) throws Exception {
        Path root = Path.of(System.getProperty("tributary.root", ".")).toAbsolutePath();
        Bench.Options options = new Bench.Options(BenchSize.parse("2MB"), 1, 0.04, root, dir.resolve("bench"),
                classPath(), io.tributary.cli.Main.class.getName(), 3, dir.resolve("logs"), new TableSizes(20, 100_000));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        BenchResult result = new Bench(options, new PrintStream(text, true, StandardCharsets.UTF_8)).run();
        String out = text.toString(StandardCharsets.UTF_8);
        System.out.println(out);

        JsonNode json = new ObjectMapper().readTree(result.toJson());
        json.fields().forEachRemaining(f -> assertTrue(f.getValue().asDouble() > 0, f.getKey() + " in " + out));
        json.fields().forEachRemaining(f -> assertTrue(!f.getKey().endsWith("_share") || f.getValue().asDouble() <= 1,
                f.getKey() + " in " + out));
        assertTrue(out.contains("from checkpoint 10 and 9 commits; "), out);
        assertTrue(out.contains("  clustered (ids 99,001 to 100,000):"), out);
        assertTrue(result.peakHeapMb() <= 256, out);
        assertTrue(result.peakRssMb() > result.peakHeapMb(), out);
        assertTrue(result.latencyP95Ms() >= result.latencyP50Ms(), out);
        assertTrue(out.contains("  telemetry  engine"), out);
        assertTrue(out.contains("  contacts   engine"), out);
        assertTrue(out.contains("3/3 small files") || out.contains("p50 "), out);
        assertEquals(9, out.lines().filter(l -> l.startsWith("  PASS ") || l.startsWith("  BELOW TARGET ")).count(), out);
        assertTrue(!Files.exists(dir.resolve("bench")), "the bench cleans up after itself");
        assertTrue(Files.readString(dir.resolve("logs").resolve("host-3.log")).contains("Host running."));
    }

    /** The test's class path without the test classes: the app and its libraries. */
    private static String classPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Set<String> entries = new LinkedHashSet<>(Arrays.asList(path.split(File.pathSeparator)));
        entries.removeIf(e -> e.endsWith("test-classes") || e.endsWith("test-classes/"));
        return String.join(File.pathSeparator, entries);
    }
}
