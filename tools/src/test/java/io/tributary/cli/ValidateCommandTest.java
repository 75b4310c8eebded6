package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} reports every file, however broken, and goes on to the next: none stops it. */
class ValidateCommandTest {

    private static String definition(String name, String where) {
        return "{\"schemaVersion\": 1, \"name\": \"" + name + "\", \"source\": {\"format\": \"csv\"}, "
                + "\"columns\": [{\"name\": \"amount\", \"type\": \"int\"}], "
                + "\"steps\": [{\"op\": \"filter\", \"where\": \"" + where + "\"}]}";
    }

    @Test
    void everyBrokenFileIsReportedAndTheCountsAddUp(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("a-good.json"), definition("a-good", "amount > 0"));
        Files.writeString(folder.resolve("b-nul.json"), definition("b-nul", "amount > 0\\u0000"));
        Files.write(folder.resolve("c-latin1.json"), definition("c-latin1", "amount > 0 -- \u00e9")
                .getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(folder.resolve("d-deep.json"), "{\"schemaVersion\": 1, \"steps\": " + "[".repeat(50_000));
        Files.writeString(folder.resolve("e-query.json"), definition("e-query", "amount > 0")
                .replace("{\"op\": \"filter\", \"where\": \"amount > 0\"}",
                        "{\"op\": \"sql\", \"query\": \"SELECT * FROM input\\u0000; SELECT 1\"}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = new ValidateCommand(new Workspace(folder, new PrintStream(out)), new PrintStream(out, true,
                StandardCharsets.UTF_8)).run(List.of(folder.toString()));

        String f = folder + "/";
        assertEquals(List.of(
                f + "b-nul.json:1:152: /steps/0/where: the value holds the control character U+0000 at character 11 "
                        + "(after \"amount > 0\"); remove it (a definition's text may hold tabs and line breaks, no "
                        + "other control characters)",
                f + "c-latin1.json:1:170: /: the file is not UTF-8 text: the byte 0xE9 here is not valid UTF-8; save "
                        + "the file as UTF-8",
                f + "d-deep.json:1:63: /: malformed JSON: objects and arrays nest deeper than 32 levels; a definition "
                        + "needs a few (is a bracket repeated or left open?)",
                f + "e-query.json:1:151: /steps/0/query: the value holds the control character U+0000 at character "
                        + "20 (after \"SELECT * FROM input\"); remove it (a definition's text may hold tabs and line "
                        + "breaks, no other control characters)",
                "5 definitions checked: 1 valid, 4 with problems (4 problems)"),
                out.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(1, status);
    }
}
