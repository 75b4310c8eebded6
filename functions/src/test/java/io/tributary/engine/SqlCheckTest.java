package io.tributary.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import io.tributary.definition.read.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's check of a definition's SQL, driven by fixtures: every valid definition binds step by
 * step; every one in {@code invalid-sql/} reports exactly the problem in its {@code .expected} file.
 */
class SqlCheckTest {

    private static final Path FIXTURES = Path.of(System.getProperty("tributary.root", "."),
            "functions/src/test/resources/definitions");

    static Stream<Path> valid() throws Exception {
        return Stream.concat(Files.list(FIXTURES.resolve("valid")),
                        Files.list(Path.of(System.getProperty("tributary.root", "."), "pipeline-defs")))
                .filter(f -> f.toString().endsWith(".json")).sorted();
    }

    static Stream<Path> invalid() throws Exception {
        return Files.list(FIXTURES.resolve("invalid-sql")).filter(f -> f.toString().endsWith(".json")).sorted();
    }

    private static DefinitionResult read(Path file) throws Exception {
        return DefinitionReader.read(file.getFileName().toString(), Files.readString(file),
                file.getFileName().toString().replace(".json", ""), new SqlCheck());
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validDefinitionsBindStepByStep(Path file) throws Exception {
        assertEquals(List.of(), read(file).problems());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void sqlMistakesAreReportedWhereTheyAreWritten(Path file) throws Exception {
        List<String> expected = Files.readAllLines(Path.of(file.toString().replace(".json", ".expected")));
        assertEquals(expected, read(file).problems().stream().map(Problem::format).toList());
    }
}
