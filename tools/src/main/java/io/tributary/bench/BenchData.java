package io.tributary.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The files one bench run generates.
 *
 * @param large    one file of each pipeline, half the size each: (a) and (b)
 * @param quarters {@link #WORKER_FILES} files of a quarter of the size, the pipelines in turn: (e)
 * @param small    small telemetry files: (d)
 * @param warmUp   small files of both pipelines, run before each measurement
 */
record BenchData(List<Input> large, List<Input> quarters, List<Input> small, List<Input> warmUp) {

    /** Files dropped at once for (e). */
    static final int WORKER_FILES = 4;
    static final long SMALL_FILE_BYTES = 64_000;
    /** Warm-up files (or an eighth of the size, when less). */
    static final long WARM_UP_BYTES = 1_000_000;

    /** Writes the files into {@code folder}, saying how far it got for the large ones. */
    static BenchData generate(BenchSize size, int smallFiles, double dirtyShare, Path folder, Progress progress)
            throws IOException {
        Writer writer = new Writer(folder, dirtyShare, progress);
        List<Input> large = List.of(writer.write(BenchPipeline.TELEMETRY, "telemetry.csv", size.bytes() / 2, 1),
                writer.write(BenchPipeline.CONTACTS, "contacts.csv", size.bytes() / 2, 2));
        List<Input> quarters = new ArrayList<>();
        for (int i = 0; i < WORKER_FILES; i++) {
            BenchPipeline pipeline = i % 2 == 0 ? BenchPipeline.TELEMETRY : BenchPipeline.CONTACTS;
            quarters.add(writer.write(pipeline, pipeline.label() + "-part" + i + ".csv", size.bytes() / WORKER_FILES,
                    10 + i));
        }
        List<Input> small = new ArrayList<>();
        for (int i = 0; i < smallFiles; i++) {
            small.add(writer.write(BenchPipeline.TELEMETRY, String.format("small-%02d.csv", i), SMALL_FILE_BYTES,
                    100 + i));
        }
        List<Input> warmUp = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BenchPipeline pipeline = i % 2 == 0 ? BenchPipeline.TELEMETRY : BenchPipeline.CONTACTS;
            warmUp.add(writer.write(pipeline, pipeline.label() + "-warm-up" + i + ".csv",
                    Math.min(WARM_UP_BYTES, size.bytes() / 8), 200 + i));
        }
        return new BenchData(large, quarters, small, warmUp);
    }

    /** Prints what was generated: rows, sizes, dirty rows by kind. */
    void describe(PrintStream out) {
        out.println("Data");
        for (Input input : large) {
            Generated g = input.generated();
            out.printf("  %-10s %,11d rows  %8.1f MB  dirty %.1f%% (%s)%n", input.pipeline().label(), g.rows(),
                    g.bytes() / 1e6, 100 * g.dirtyShare(), dirtyKinds(g.dirty()));
        }
        out.printf("  and %d files of %.1f MB for (e), %d files of %.0f kB for (d)%n", quarters.size(),
                quarters.get(0).generated().bytes() / 1e6, small.size(), SMALL_FILE_BYTES / 1e3);
    }

    private static String dirtyKinds(Map<Dirt, Long> dirty) {
        StringBuilder text = new StringBuilder();
        for (Dirt kind : Dirt.values()) {
            text.append(text.length() == 0 ? "" : ", ").append(kind.name().toLowerCase().replace('_', ' ')).append(' ')
                    .append(String.format("%,d", dirty.getOrDefault(kind, 0L)));
        }
        return text.toString();
    }

    /** Writes one file at a time. */
    private record Writer(Path folder, double dirtyShare, Progress progress) {
        Input write(BenchPipeline pipeline, String name, long bytes, long seed) throws IOException {
            LongConsumer report = bytes >= 10_000_000 ? written -> progress.say(String.format("  %s: %.0f of %.0f MB",
                    name, written / 1e6, bytes / 1e6)) : written -> { };
            return new Input(pipeline, pipeline.generator(dirtyShare).generate(folder.resolve(name), bytes, seed, report));
        }
    }
}
