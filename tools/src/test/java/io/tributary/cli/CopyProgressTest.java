package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** An export's progress: a line every two seconds while files remain, none for one done sooner. */
class CopyProgressTest {

    @Test
    void aLineEveryTwoSecondsWithFilesAndBytesDone() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(0);
        CopyProgress progress = new CopyProgress(new PrintStream(out, true, StandardCharsets.UTF_8), now::get);

        progress.copied(1, 4, 1_200_000_000L, 3_900_000_000L);
        now.set(2_100);
        progress.copied(2, 4, 2_000_000_000L, 3_900_000_000L);
        now.set(3_000);
        progress.copied(3, 4, 3_000_000_000L, 3_900_000_000L);
        now.set(9_000);
        progress.copied(4, 4, 3_900_000_000L, 3_900_000_000L);

        assertEquals("  copied 2 of 4 files, 2.0 of 3.9 GB\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sizesInTheUnitThatSuitsThem() {
        assertEquals("350 bytes", CopyProgress.size(350));
        assertEquals("1.2 kB", CopyProgress.size(1_234));
        assertEquals("999 of 999 bytes", CopyProgress.size(999, 999));
        assertEquals("0.5 of 1.5 MB", CopyProgress.size(500_000, 1_500_000));
        assertEquals("1 file", TextTable.count(1, "file"));
        assertEquals("1,234 files", TextTable.count(1234, "file"));
    }
}
