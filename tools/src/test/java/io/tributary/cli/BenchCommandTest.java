package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.settings.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary bench}'s arguments: bad ones are usage errors (status 2) before any work starts. */
class BenchCommandTest {

    @TempDir
    Path project;

    @AfterEach
    void forgetSettings() {
        Settings.clearOverlay();
    }

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), project, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aSizeThatIsNoSizeIsAUsageError() {
        String[] result = run("bench", "--size", "huge");
        assertEquals("2", result[0]);
        assertEquals("", result[1]);
        assertTrue(result[2].startsWith("tributary bench: --size takes a size such as 200MB, 1GB or 512MiB; got 'huge'"),
                result[2]);
    }

    @Test
    void theOldRowsOptionIsGoneAndSaysWhatThereIs() {
        String[] result = run("bench", "--rows", "1000");
        assertEquals("2", result[0]);
        assertTrue(result[2].startsWith("tributary bench: unknown option --rows; options: --json, --runs, --size"),
                result[2]);
    }

    @Test
    void runsMustBeAPositiveNumber() {
        String[] result = run("bench", "--runs", "0");
        assertEquals("2", result[0]);
        assertTrue(result[2].startsWith("tributary bench: --runs takes a positive whole number; got '0'"), result[2]);
    }

    @Test
    void tablesTooSmallToMeasureAreUsageErrors() {
        String[] versions = run("bench", "--table-versions", "5");
        assertEquals("2", versions[0]);
        assertTrue(versions[2].startsWith("tributary bench: --table-versions takes at least 20 versions (a checkpoint "
                + "is written every 10); got 5"), versions[2]);
        String[] rows = run("bench", "--table-rows", "many");
        assertEquals("2", rows[0]);
        assertTrue(rows[2].startsWith("tributary bench: --table-rows takes a positive whole number; got 'many'"),
                rows[2]);
    }

    @Test
    void hostConcurrencyIsBounded() {
        String[] result = run("host", "--concurrency", "40");
        assertEquals("2", result[0]);
        assertTrue(result[2].startsWith("tributary host: --concurrency takes 1 to 32 invocations per queue function; "
                + "got 40"), result[2]);
    }
}
