package io.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The definition model, the engine and the stages know nothing of Azure: unit tests reach them without it. */
class ArchitectureTest {

    @ParameterizedTest
    @ValueSource(strings = {"definition", "engine", "run", "stage"})
    void layerImportsNothingFromAzure(String layer) throws Exception {
        Path root = Path.of(System.getProperty("tributary.root", "."), "functions/src/main/java/io/tributary", layer);
        List<String> offenders;
        try (Stream<Path> files = Files.walk(root)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> {
                        try {
                            return Files.readAllLines(f).stream().anyMatch(l -> l.startsWith("import com.azure.")
                                    || l.startsWith("import com.microsoft.azure."));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(f -> root.relativize(f).toString()).toList();
        }
        assertEquals(List.of(), offenders);
    }

    /**
     * Dependencies that run one way only: the tools use the app, the bench is a tool the command line starts (it is
     * told which class runs {@code tributary host}, rather than importing the command line back).
     */
    @ParameterizedTest
    @CsvSource({"bench,cli"})
    void packageDoesNotImport(String from, String to) throws Exception {
        Path root = Path.of(System.getProperty("tributary.root", "."), "functions/src/main/java/io/tributary", from);
        String forbidden = "io.tributary." + to + ".";
        List<String> offenders;
        try (Stream<Path> files = Files.walk(root)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains(forbidden);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(f -> root.relativize(f).toString()).toList();
        }
        assertEquals(List.of(), offenders, from + " imports " + to);
    }
}
