package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataGeneratorTest {

    private static final long SIZE = 2_000_000;

    @Test
    void telemetryHasTheAskedSizeAndDirtyShare(@TempDir Path dir) throws Exception {
        List<Long> progress = new ArrayList<>();
        Generated g = new TelemetryGenerator(0.04).generate(dir.resolve("t.csv"), SIZE, 1, progress::add);
        assertEquals(Files.size(g.file()), g.bytes());
        assertTrue(g.bytes() >= SIZE && g.bytes() < SIZE + 100, "size " + g.bytes());
        assertEquals(g.bytes(), progress.get(progress.size() - 1));
        List<String> lines = Files.readAllLines(g.file());
        assertEquals(TelemetryGenerator.HEADER, lines.get(0));
        assertEquals(g.rows(), lines.size() - 1);
        assertEquals(0.04, g.dirtyShare(), 0.004);
        for (Dirt kind : Dirt.values()) {
            assertEquals(0.01, (double) g.dirty().get(kind) / g.rows(), 0.002, kind.name());
        }
        // What each kind of dirt looks like, counted back from the file.
        long ragged = lines.stream().skip(1).filter(l -> l.split(",", -1).length == 6).count();
        long missing = lines.stream().skip(1).filter(l -> l.startsWith(",")).count();
        long badNumber = lines.stream().skip(1).filter(l -> l.contains(",n/a,")).count();
        long repeated = 0;
        for (int i = 2; i < lines.size(); i++) {
            if (lines.get(i).equals(lines.get(i - 1))) {
                repeated++;
            }
        }
        assertEquals(g.dirty().get(Dirt.RAGGED), ragged);
        assertEquals(g.dirty().get(Dirt.MISSING_REQUIRED), missing);
        assertEquals(g.dirty().get(Dirt.BAD_NUMBER), badNumber);
        // A duplicate repeats the last clean row, which may lie behind other dirty rows.
        assertTrue(repeated <= g.dirty().get(Dirt.DUPLICATE) && repeated > g.dirty().get(Dirt.DUPLICATE) * 0.9,
                repeated + " of " + g.dirty().get(Dirt.DUPLICATE));
    }

    @Test
    void contactsHaveTheAskedSizeAndDirtyShare(@TempDir Path dir) throws Exception {
        Generated g = new ContactsGenerator(0.10).generate(dir.resolve("c.csv"), SIZE, 2, b -> { });
        assertTrue(g.bytes() >= SIZE && g.bytes() < SIZE + 100, "size " + g.bytes());
        List<String> lines = Files.readAllLines(g.file());
        assertEquals(ContactsGenerator.HEADER, lines.get(0));
        assertEquals(0.10, g.dirtyShare(), 0.006);
        long ragged = lines.stream().skip(1).filter(l -> l.split(",", -1).length == 8).count();
        long badNumber = lines.stream().skip(1).filter(l -> l.split(",", -1)[4].endsWith("k")).count();
        long olderUpdates = lines.stream().skip(1).filter(l -> l.split(",", -1)[1].startsWith("2026-10-")).count();
        assertEquals(g.dirty().get(Dirt.RAGGED), ragged);
        assertEquals(g.dirty().get(Dirt.BAD_NUMBER), badNumber);
        assertEquals(g.dirty().get(Dirt.DUPLICATE), olderUpdates);
    }

    @Test
    void theSameSeedWritesTheSameFile(@TempDir Path dir) throws Exception {
        Generated a = new ContactsGenerator(0.04).generate(dir.resolve("a.csv"), 1_000_000, 7, b -> { });
        Generated b = new ContactsGenerator(0.04).generate(dir.resolve("b.csv"), 1_000_000, 7, x -> { });
        Generated c = new ContactsGenerator(0.04).generate(dir.resolve("c.csv"), 1_000_000, 8, x -> { });
        assertArrayEquals(Files.readAllBytes(a.file()), Files.readAllBytes(b.file()));
        assertEquals(a.dirty(), b.dirty());
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(a.file()), Files.readAllBytes(c.file())));
    }

    @Test
    void cleanDataHasNoDirtyRows(@TempDir Path dir) throws Exception {
        Generated g = new TelemetryGenerator(0).generate(dir.resolve("t.csv"), 1_000_000, 3, b -> { });
        assertEquals(Map.of(), g.dirty());
        assertEquals(0, g.dirtyShare());
    }

    @Test
    void aBenchRunsDataIsCutFromItsSize(@TempDir Path dir) throws Exception {
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        BenchData data = BenchData.generate(BenchSize.parse("2MB"), 3, 0.04, dir,
                new Progress(new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(List.of(BenchPipeline.TELEMETRY, BenchPipeline.CONTACTS),
                data.large().stream().map(Input::pipeline).toList());
        for (Input input : data.large()) {
            assertTrue(input.generated().bytes() >= 1_000_000 && input.generated().bytes() < 1_000_200);
        }
        assertEquals(List.of(BenchPipeline.TELEMETRY, BenchPipeline.CONTACTS, BenchPipeline.TELEMETRY,
                BenchPipeline.CONTACTS), data.quarters().stream().map(Input::pipeline).toList());
        for (Input input : data.quarters()) {
            assertTrue(input.generated().bytes() >= 500_000 && input.generated().bytes() < 500_200);
        }
        assertEquals(3, data.small().size());
        assertEquals(List.of("small-00.csv", "small-01.csv", "small-02.csv"),
                data.small().stream().map(Input::fileName).toList());
        assertEquals(4, data.warmUp().size());
        assertTrue(data.warmUp().get(0).generated().bytes() >= 250_000
                && data.warmUp().get(0).generated().bytes() < 250_200);
        assertEquals("", said.toString(java.nio.charset.StandardCharsets.UTF_8), "no progress for files under 10 MB");
    }
}
