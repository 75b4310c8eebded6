package io.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import io.tributary.engine.SqlCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the pages under {@code docs/} stay true: every link between them reaches a file and a heading
 * that exist, the README stays a front door, its first pipeline reads as a valid definition, and the package map
 * in {@code docs/architecture.md} names exactly the packages there are.
 */
class DocsTest {

    private static final Path ROOT = Path.of(System.getProperty("tributary.root", "."));
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.*)$");

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("infra/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static List<String> lines(Path page) {
        try {
            return Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines outside fenced code blocks. */
    private static List<String> prose(Path page) {
        List<String> prose = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines(page)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                prose.add(line);
            }
        }
        return prose;
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
    static Set<String> anchors(List<String> prose) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String slug = m.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                        .replace(' ', '-');
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    @Test
    void everyLinkReachesAFileAndAHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String line : prose(page)) {
                Matcher m = LINK.matcher(line);
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue; // https:, mailto:
                    }
                    int hash = target.indexOf('#');
                    String path = hash < 0 ? target : target.substring(0, hash);
                    Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
                    String where = ROOT.relativize(page) + ": " + target;
                    if (!Files.exists(file)) {
                        broken.add(where + " (no such file)");
                    } else if (hash >= 0 && file.toString().endsWith(".md")
                            && !anchors(prose(file)).contains(target.substring(hash + 1))) {
                        broken.add(where + " (no such heading)");
                    }
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theReadmeIsAFrontDoorThatLinksEveryPageOfTheDocs() throws IOException {
        List<String> readme = lines(ROOT.resolve("README.md"));
        assertTrue(readme.size() <= 150, "the README has " + readme.size() + " lines; move detail to docs/");
        String text = String.join("\n", readme);
        for (String heading : List.of("## Prerequisites", "## Run the demo", "## Run the tests",
                "## Write a pipeline")) {
            assertTrue(readme.contains(heading), "the README lacks " + heading);
        }
        List<String> unlinked = new ArrayList<>();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.map(p -> "docs/" + p.getFileName()).filter(p -> p.endsWith(".md")).sorted()
                    .filter(p -> !text.contains("](" + p + ")")).forEach(unlinked::add);
        }
        assertEquals(List.of(), unlinked, "pages of docs/ the README does not link");
    }

    @Test
    void theReadmesFirstPipelineIsAValidDefinition() {
        String text = String.join("\n", lines(ROOT.resolve("README.md")));
        Matcher m = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), "the README shows a pipeline");
        DefinitionResult read = DefinitionReader.read("README.md", m.group(1), null, new SqlCheck());
        assertEquals(List.of(), read.problems());
        assertEquals("orders", read.definition().orElseThrow().name());
    }

    @Test
    void thePackageMapNamesExactlyThePackagesThereAre() throws IOException {
        Set<String> packages = new TreeSet<>();
        for (String module : List.of("functions", "tools")) {
            try (Stream<Path> dirs = Files.list(ROOT.resolve(module).resolve("src/main/java/io/tributary"))) {
                dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
            }
        }
        Set<String> mapped = new TreeSet<>();
        Pattern row = Pattern.compile("^\\| `([a-z]+)` \\|.*");
        for (String line : prose(ROOT.resolve("docs/architecture.md"))) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                mapped.add(m.group(1));
            }
        }
        assertEquals(packages, mapped, "docs/architecture.md's package map");
    }
}
