package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** How the command line words a failure: in a line for people, without Java's exception names. */
class MainTest {

    @Test
    void fileTroublesAreNamedAsSuchNotAsExceptions() {
        assertEquals("no such file or folder: out/train", Main.message(new UncheckedIOException(
                new NoSuchFileException("out/train"))));
        assertEquals("permission denied: /data", Main.message(new UncheckedIOException(
                new AccessDeniedException("/data"))));
        assertEquals("cannot use /work/x: Not a directory", Main.message(new java.nio.file.FileSystemException(
                "/work/x", null, "Not a directory")));
        assertEquals("the definition snapshot is gone", Main.message(new IllegalStateException(
                "the definition snapshot is gone")));
    }

    @Test
    void aFailureWithoutAMessageSaysHowToSeeMoreNotItsClass() {
        assertEquals("an internal error without a message (TRIBUTARY_DEBUG=1 prints its stack trace)",
                Main.message(new NullPointerException()));
        assertEquals("first line", Main.message(new IllegalStateException("first line\nsecond")));
    }
}
