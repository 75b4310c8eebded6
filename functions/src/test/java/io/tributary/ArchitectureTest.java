package io.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The layout's rules: below the storage edge, the Azure Machine Learning edge, the function classes and the tools,
 * nothing knows Azure (unit tests reach it without it); some dependencies run one way only; and no packages depend on each other, however far round.
 */
class ArchitectureTest {

    /** The modules' source roots: the function app's, then the tools'. */
    private static final List<Path> ROOTS = Stream.of("functions", "tools")
            .map(module -> Path.of(System.getProperty("tributary.root", "."), module, "src/main/java/io/tributary"))
            .toList();
    private static final Pattern REFERENCE = Pattern.compile("io\\.tributary\\.([a-z]+)\\.");

    /** The source files of package {@code name} whose text {@code breaks} the rule, relative to the package. */
    private static List<String> filesThat(String name, Predicate<String> breaks) throws IOException {
        Path dir = packages().get(name);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).filter(f -> breaks.test(text(f)))
                    .map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Only the storage edge, the compute edges (Azure Machine Learning, Azure Databricks, Synapse, and the bearer-token
     * client they share, {@code cloud}), the function classes
     * and the local host speak Azure; the bench too, as the user's own storage client (it drops files and times a
     * plain SDK copy as the peer of a run). Everything else is reached by unit tests without Azure.
     */
    @Test
    void onlyTheEdgesImportAzure() throws IOException {
        Set<String> edges = Set.of("storage", "azureml", "databricks", "synapse", "cloud", "functions", "local", "bench");
        Map<String, List<String>> found = new TreeMap<>();
        for (String name : packages().keySet()) {
            List<String> files = filesThat(name, text -> text.lines().anyMatch(l -> l.startsWith("import com.azure.")
                    || l.startsWith("import com.microsoft.azure.")));
            if (!files.isEmpty()) {
                found.put(name, files);
            }
        }
        assertEquals(Set.of(), new TreeSet<>(found.keySet()).stream().filter(p -> !edges.contains(p))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)), "Azure imports in " + found);
        assertTrue(packages().keySet().containsAll(List.of("stage", "start", "history", "port", "storage", "azureml")));
    }

    /**
     * Dependencies that run one way only. The stages know neither how runs start nor the history's queries (a
     * commit's downstream runs reach the store stage through {@code DownstreamRuns}); the ports know nothing above
     * them; the stages reach the Azure Machine Learning edge through its port only, and the two edges are apart
     * (the composition root hands the storage edge's credential over); the bench is a tool the command line starts (it is told which class runs {@code tributary host}, rather
     * than importing the command line back); the engine fills in the records a run persists, which know nothing of
     * the engine (what is stored outlives any change to it).
     */
    @ParameterizedTest
    @CsvSource({"stage,start", "stage,history", "start,history", "port,stage", "port,start", "port,history",
            "port,storage", "storage,stage", "storage,start", "storage,history", "bench,cli",
            "run,engine", "stage,azureml", "start,azureml", "history,azureml", "port,azureml", "azureml,stage",
            "azureml,storage", "storage,azureml", "stage,cloud", "stage,databricks", "stage,synapse", "job,port",
            "job,stage", "job,cloud", "port,cloud"})
    void packageDoesNotImport(String from, String to) throws IOException {
        assertEquals(List.of(), filesThat(from, text -> text.contains("io.tributary." + to + ".")), from + " imports "
                + to);
    }

    /** Every top-level package of either module, with its folder. */
    private static Map<String, Path> packages() throws IOException {
        Map<String, Path> packages = new TreeMap<>();
        for (Path root : ROOTS) {
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(Files::isDirectory).forEach(dir -> packages.put(dir.getFileName().toString(), dir));
            }
        }
        return packages;
    }

    /** No two packages depend on each other, however far round: each can be read, and tested, below the next. */
    @Test
    void noPackageCycles() throws IOException {
        Map<String, Path> packages = packages();
        Map<String, Set<String>> imports = new TreeMap<>();
        for (String name : packages.keySet()) {
            Set<String> used = new TreeSet<>();
            filesThat(name, text -> {
                Matcher m = REFERENCE.matcher(text);
                while (m.find()) {
                    if (!m.group(1).equals(name) && packages.containsKey(m.group(1))) {
                        used.add(m.group(1));
                    }
                }
                return false;
            });
            imports.put(name, used);
        }
        List<String> cycles = new ArrayList<>();
        Map<String, Boolean> visiting = new HashMap<>();
        for (String start : imports.keySet()) {
            findCycles(start, imports, visiting, new ArrayList<>(), cycles);
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    /** Depth first from {@code at}: a package met again while still on the path closes a cycle. */
    private static void findCycles(String at, Map<String, Set<String>> imports, Map<String, Boolean> visiting,
                                   List<String> path, List<String> cycles) {
        Boolean onPath = visiting.get(at);
        if (onPath != null) {
            if (onPath) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
                cycle.add(at);
                cycles.add(String.join(" -> ", cycle));
            }
            return;
        }
        visiting.put(at, true);
        path.add(at);
        for (String next : imports.getOrDefault(at, Set.of())) {
            findCycles(next, imports, visiting, path, cycles);
        }
        path.remove(path.size() - 1);
        visiting.put(at, false);
    }
}
