package io.tributary.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tributary.definition.read.Problem;
import io.tributary.engine.SqlCheck;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Thousands of hostile definitions from one fixed seed: random bytes, and the sample definitions of
 * {@code pipeline-defs/} with NUL and other control characters, invalid UTF-8, broken surrogates, deep nesting, huge
 * strings and numbers put in at random places, or cut short. The reader answers each with a definition or with
 * problems that name the file and a place in it, and never throws; nor does the engine's check of what reads.
 */
class DefinitionFuzzTest {

    private static final long SEED = 20261207L;
    private static final String FILE = "fuzzed.json";
    private static final String[] INSERTS = {"\u0000", "\\u0000", "\u0001", "\\u0001", "\\u001f", "\u007f",
            "\\u0085", "\\ud800", "\\udc00x", "\\ud83d", "\t", "\\n", "\"", "\\", "{", "}", "[", "]", ",", ":", "null",
            "1e999999999", "-1e-999999999", "9".repeat(120), "0.0000000001", "\"\": 1,", "%SETTING%", "{name}",
            "'", "'; DROP TABLE x; --", "/*", "$$", "é", "😀"};
    private static final byte[][] BAD_BYTES = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80}, {0}};

    private static List<String> samples() throws Exception {
        Path defs = Path.of(System.getProperty("tributary.root", ".")).resolve("pipeline-defs");
        try (Stream<Path> files = Files.list(defs)) {
            List<String> texts = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                texts.add(Files.readString(file));
            }
            assertTrue(texts.size() >= 5, "the sample definitions: " + texts.size());
            return texts;
        }
    }

    /** Reads {@code bytes} and checks the answer's shape; returns the answer. */
    private static DefinitionResult readChecked(String what, byte[] bytes, DefinitionCheck check) {
        DefinitionResult result;
        try {
            result = DefinitionReader.read(FILE, bytes, null, check);
        } catch (Throwable e) {
            throw new AssertionError(what + ": the reader threw " + e, e);
        }
        assertTrue(result.definition().isPresent() != !result.problems().isEmpty(),
                what + ": a definition or problems, not both or neither: " + result);
        for (Problem problem : result.problems()) {
            assertEquals(FILE, problem.file(), what);
            assertTrue(problem.line() >= 1 && problem.column() >= 1, what + ": " + problem.format());
            assertTrue(problem.pointer().isEmpty() || problem.pointer().startsWith("/"), what + ": " + problem.format());
            assertFalse(problem.message().isBlank(), what);
            assertFalse(problem.message().contains("flaw in Tributary") || problem.message().contains("could not check"),
                    what + ": the reader's safety net caught a failure: " + problem.format());
            if (problem.message().length() > 2_000) {
                fail(what + ": a problem quotes too much: " + problem.message().length() + " characters: "
                        + problem.message().substring(0, 300));
            }
        }
        return result;
    }

    private static byte[] mutate(String sample, Random random) {
        byte[] bytes = sample.getBytes(StandardCharsets.UTF_8);
        int at = random.nextInt(bytes.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(7)) {
            case 0 -> { // a hostile piece of text somewhere
                out.write(bytes, 0, at);
                out.writeBytes(INSERTS[random.nextInt(INSERTS.length)].getBytes(StandardCharsets.UTF_8));
                out.write(bytes, at, bytes.length - at);
            }
            case 1 -> { // bytes that are not UTF-8
                out.write(bytes, 0, at);
                out.writeBytes(BAD_BYTES[random.nextInt(BAD_BYTES.length)]);
                out.write(bytes, at, bytes.length - at);
            }
            case 2 -> out.write(bytes, 0, at); // cut short
            case 3 -> { // a value that nests deep, closed or not
                int depth = 1 + random.nextInt(random.nextBoolean() ? 40 : 5_000);
                String open = random.nextBoolean() ? "[" : "{\"a\":";
                String nest = open.repeat(depth) + "1" + (random.nextBoolean()
                        ? (open.equals("[") ? "]" : "}").repeat(depth) : "");
                out.write(bytes, 0, at);
                out.writeBytes(nest.getBytes(StandardCharsets.UTF_8));
                out.write(bytes, at, bytes.length - at);
            }
            case 4 -> { // random bytes written over a stretch
                byte[] copy = bytes.clone();
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
                out.writeBytes(copy);
            }
            case 5 -> { // a string value replaced by a long one, with control characters in it
                String text = new String(bytes, StandardCharsets.UTF_8);
                int quote = text.indexOf(": \"", Math.min(at, text.length()));
                quote = quote < 0 ? text.indexOf(": \"") : quote;
                int end = text.indexOf('"', quote + 3);
                String filler = "x".repeat(random.nextInt(random.nextInt(20) == 0 ? 70_000 : 2_000))
                        + (random.nextBoolean() ? "\\u0000" : "");
                out.writeBytes((text.substring(0, quote + 3) + filler + text.substring(end))
                        .getBytes(StandardCharsets.UTF_8));
            }
            default -> { // a stretch repeated or left out
                int from = random.nextInt(bytes.length);
                int to = Math.min(bytes.length, from + random.nextInt(200));
                out.write(bytes, 0, from);
                if (random.nextBoolean()) {
                    out.write(bytes, from, to - from);
                    out.write(bytes, from, to - from);
                }
                out.write(bytes, to, bytes.length - to);
            }
        }
        return out.toByteArray();
    }

    @Test
    void randomBytesGetProblemsNeverAnException() {
        Random random = new Random(SEED);
        for (int i = 0; i < 1_000; i++) {
            byte[] bytes = new byte[random.nextInt(i < 500 ? 64 : 4_096)];
            random.nextBytes(bytes);
            DefinitionResult result = readChecked("random bytes #" + i, bytes, DefinitionCheck.NONE);
            assertFalse(result.definition().isPresent(), "random bytes #" + i + " read as a definition");
        }
    }

    @Test
    void mutatedSampleDefinitionsGetADefinitionOrProblemsNeverAnException() throws Exception {
        List<String> samples = samples();
        Random random = new Random(SEED);
        int read = 0;
        int checked = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] mutated = mutate(samples.get(random.nextInt(samples.size())), random);
            // The engine's check takes a fraction of a second: it runs on a share of the definitions that read.
            boolean withEngine = checked < 4 && random.nextInt(8) == 0;
            DefinitionResult result = readChecked("mutation #" + i + " (seed " + SEED + ")", mutated,
                    withEngine ? new SqlCheck() : DefinitionCheck.NONE);
            if (result.definition().isPresent()) {
                read++;
                checked += withEngine ? 1 : 0;
            }
        }
        assertTrue(read > 50, "some mutations still read (spaces, digits in descriptions): " + read);
    }

    @Test
    void hugeAndDeepInputsAreRefusedQuicklyWithTheirLimit() {
        String huge = "{\"schemaVersion\": 1, \"name\": \"" + "a".repeat(10_000_000) + "\"}";
        long started = System.nanoTime();
        List<Problem> problems = readChecked("a 10 MB string", huge.getBytes(StandardCharsets.UTF_8),
                DefinitionCheck.NONE).problems();
        assertEquals("fuzzed.json:1:1: /: the file is 10000032 bytes, over the 1024 KiB a definition may be; a "
                + "definition needs a few KiB (is this the right file?)", problems.get(0).format());

        String long64k = "{\"schemaVersion\": 1, \"name\": \"x\", \"description\": \"" + "a".repeat(70_000) + "\"}";
        assertEquals("fuzzed.json:1:50: /description: the string is longer than 65536 characters, the most a "
                + "definition's string (a name, an expression, a query) may hold; shorten it",
                readChecked("a 70 K string", long64k.getBytes(StandardCharsets.UTF_8), DefinitionCheck.NONE)
                        .problems().get(0).format());

        String deep = "{\"schemaVersion\": 1, \"steps\": " + "[".repeat(100_000);
        assertEquals("fuzzed.json:1:63: /: malformed JSON: objects and arrays nest deeper than 32 levels; a definition "
                + "needs a few (is a bracket repeated or left open?)",
                readChecked("100 000 brackets", deep.getBytes(StandardCharsets.UTF_8), DefinitionCheck.NONE)
                        .problems().get(0).format());

        String exponent = "{\"schemaVersion\": 1, \"name\": \"x\", \"concurrency\": 1e999999999}";
        assertEquals("fuzzed.json:1:61: /: malformed JSON: the number 1e999999999 is out of range; no field of a "
                + "definition takes one beyond 1e400",
                readChecked("a huge exponent", exponent.getBytes(StandardCharsets.UTF_8), DefinitionCheck.NONE)
                        .problems().get(0).format());
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "refused in well under 5 s");
    }

    @Test
    void bytesThatAreNotUtf8AreNamedByLineAndColumn() {
        byte[] bytes = "{\n  \"schemaVersion\": 1,\n  \"name\": \"caf\u00e9\"\n}".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "{\n  \"schemaVersion\": 1,\n  \"name\": \"caf\u00e9\"\n}".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(readChecked("UTF-8", bytes, DefinitionCheck.NONE).problems().stream()
                .noneMatch(p -> p.message().contains("UTF-8")));
        assertEquals(List.of("fuzzed.json:3:15: /: the file is not UTF-8 text: the byte 0xE9 here is not valid UTF-8; "
                + "save the file as UTF-8"), readChecked("Latin-1", latin1, DefinitionCheck.NONE).problems().stream()
                .map(Problem::format).toList());
    }

    @Test
    void theSameSeedGivesTheSameInputs() {
        // A failure above names its seed and number: run again, it is the same input.
        Random a = new Random(SEED);
        Random b = new Random(SEED);
        try {
            List<String> samples = samples();
            for (int i = 0; i < 20; i++) {
                assertEquals(new String(mutate(samples.get(0), a), StandardCharsets.UTF_8),
                        new String(mutate(samples.get(0), b), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            fail(e);
        }
    }
}
