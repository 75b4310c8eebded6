package io.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Below the storage edge, the function classes and the tools, nothing knows Azure: unit tests reach it without it. */
class ArchitectureTest {

    @ParameterizedTest
    @ValueSource(strings = {"alert", "definition", "engine", "extract", "lineage", "run", "settings", "stage", "web"})
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

    /** No two packages depend on each other, however far round: each can be read, and tested, below the next. */
    @org.junit.jupiter.api.Test
    void noPackageCycles() throws Exception {
        Path root = Path.of(System.getProperty("tributary.root", "."), "functions/src/main/java/io/tributary");
        java.util.Map<String, java.util.Set<String>> imports = new java.util.TreeMap<>();
        java.util.regex.Pattern reference = java.util.regex.Pattern.compile("io\\.tributary\\.([a-z]+)\\.");
        try (Stream<Path> packages = Files.list(root)) {
            for (Path dir : packages.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                java.util.Set<String> used = new java.util.TreeSet<>();
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        java.util.regex.Matcher m = reference.matcher(Files.readString(file));
                        while (m.find()) {
                            if (!m.group(1).equals(name) && Files.isDirectory(root.resolve(m.group(1)))) {
                                used.add(m.group(1));
                            }
                        }
                    }
                }
                imports.put(name, used);
            }
        }
        List<String> cycles = new java.util.ArrayList<>();
        java.util.Map<String, Integer> state = new java.util.HashMap<>();
        for (String start : imports.keySet()) {
            findCycles(start, imports, state, new java.util.ArrayList<>(), cycles);
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    private static void findCycles(String at, java.util.Map<String, java.util.Set<String>> imports,
                                   java.util.Map<String, Integer> state, List<String> path, List<String> cycles) {
        Integer seen = state.get(at);
        if (seen != null) {
            if (seen == 1) {
                List<String> cycle = new java.util.ArrayList<>(path.subList(path.indexOf(at), path.size()));
                cycle.add(at);
                cycles.add(String.join(" -> ", cycle));
            }
            return;
        }
        state.put(at, 1);
        path.add(at);
        for (String next : imports.getOrDefault(at, java.util.Set.of())) {
            findCycles(next, imports, state, path, cycles);
        }
        path.remove(path.size() - 1);
        state.put(at, 2);
    }
}
