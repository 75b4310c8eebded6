package io.tributary.bench;

import java.io.PrintStream;

/** Where the bench says what it is doing, line by line, while it works. */
final class Progress {

    private final PrintStream out;
    private final long started = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    /** Prints {@code line} with the seconds since the bench began. */
    void say(String line) {
        out.printf("[%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, line);
        out.flush();
    }
}
