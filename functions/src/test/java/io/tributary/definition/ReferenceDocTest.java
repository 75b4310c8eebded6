package io.tributary.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.tributary.definition.read.Problem;
import io.tributary.engine.SqlCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code docs/pipeline-reference.md} documents the whole schema and nothing but the schema, and each of its
 * examples is a definition that Tributary accepts.
 *
 * <p>The schema is walked into <em>sections</em>. The root is one. So is every property whose value (or
 * array item) declares {@code properties} ({@code trigger}, {@code columns}, {@code steps}, …), every
 * {@code oneOf}/{@code anyOf}/{@code allOf} branch that a string {@code const} selects (each {@code op},
 * each {@code expect}), and each value of the enums in {@link #HEADED_ENUMS} (each output format). Each
 * section must have a heading in the doc that begins with its name in backticks, nested like the schema
 * ({@code ### `select`} under {@code ## `steps`}); the root is the text before the first such heading.
 * In its own text (up to its first keyed subheading) a section must have
 * <ul>
 *   <li>a field table (header cell {@code field}) with one row per property it declares, and no other
 *       rows; where the table has a {@code default} or {@code required} column, they must agree with the
 *       schema;</li>
 *   <li>every other name found under it — enum and const values, the type names of a pattern such as
 *       {@code ^(string|int|…)$}, property names inside map values such as aggregate measures — in
 *       backticks, unless it is the key of a subsection;</li>
 *   <li>at least one {@code ```json} example.</li>
 * </ul>
 * Every keyed heading must name a section of the schema.
 *
 * <p>Examples: {@code ```json} is a whole definition, {@code ```json base} is the whole definition that
 * fragments are placed into (exactly one), and {@code ```json fragment} is the value of the top-level field
 * whose section it sits in — one item, or the whole array, for {@code columns}, {@code steps} and
 * {@code expectations}. Each must pass the schema and {@link DefinitionReader} with the engine's SQL check.
 */
class ReferenceDocTest {

    private static final Path ROOT = Path.of(System.getProperty("tributary.root", "."));
    private static final String DOC_NAME = "docs/pipeline-reference.md";
    private static final Path DOC = ROOT.resolve(DOC_NAME);
    private static final Path SCHEMA_FILE = ROOT.resolve("pipeline-defs/schema/pipeline.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Enum properties (section path, then name) whose every value gets a section of its own. */
    private static final Set<List<String>> HEADED_ENUMS = Set.of(List.of("output", "format"));

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");
    private static final Pattern HEADING_KEY = Pattern.compile("^`([^`\\s]+)`");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    /** A pattern that lists words: {@code ^(string|int|decimal\(…\))$}. */
    private static final Pattern WORD_LIST = Pattern.compile("^\\^\\((.*)\\)\\$$");
    private static final Pattern WORD = Pattern.compile("^([a-z][A-Za-z0-9]*)(\\\\\\(.*)?$");

    @Test
    void theReferenceDocumentsEveryNameOfTheSchemaAndNothingElse() throws Exception {
        List<String> problems = check(JSON.readTree(SCHEMA_FILE.toFile()), Files.readString(DOC));
        assertEquals("", String.join("\n", problems), problems.size() + " problem(s) between " + DOC_NAME
                + " and pipeline.schema.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExamplePassesTheSchemaAndTheReader(Example example) throws Exception {
        JsonNode definition = example.definition(base(), JSON.readTree(SCHEMA_FILE.toFile()));
        String text = example.info().equals("json fragment")
                ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(definition) : example.text();
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SCHEMA_FILE.toUri());
        assertEquals(Set.of(), schema.validate(definition).stream().map(ValidationMessage::getMessage)
                .collect(Collectors.toSet()), example + " fails the schema as\n" + text);
        DefinitionResult read = DefinitionReader.read(example.toString(), text, null, new SqlCheck());
        assertEquals(List.of(), read.problems().stream().map(Problem::format).toList(),
                example + " does not read as\n" + text);
        assertTrue(read.definition().isPresent());
    }

    @Test
    void theDocHasOneBaseAndExamplesOfEveryKind() throws Exception {
        Map<String, Long> kinds = examples().collect(Collectors.groupingBy(Example::info, Collectors.counting()));
        assertEquals(1L, kinds.getOrDefault("json base", 0L), "```json base blocks in " + DOC_NAME);
        assertTrue(kinds.getOrDefault("json", 0L) >= 1, "whole-definition examples (```json) in " + DOC_NAME);
        assertTrue(kinds.getOrDefault("json fragment", 0L) >= 10, "fragments (```json fragment) in " + DOC_NAME);
    }

    // The checker itself must be able to fail, and say where to fix what it finds.

    @Test
    void aPropertyAddedToTheSchemaIsReportedWithWhereToDocumentIt() throws Exception {
        ObjectNode schema = (ObjectNode) JSON.readTree(SCHEMA_FILE.toFile());
        ((ObjectNode) schema.at("/properties/output/properties"))
                .set("undocumentedList", JSON.readTree("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}"));
        ((ObjectNode) schema.at("/properties/columns/items/properties"))
                .set("undocumentedText", JSON.readTree("{\"type\": \"string\", \"default\": \"UTC\"}"));

        List<String> problems = newProblems(schema, Files.readString(DOC));

        assertEquals(2, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).contains("`undocumentedText` (schema #/properties/columns/items/properties/undocumentedText) is "
                + "not documented: add a row for it to the field table of ## `columns`"), problems.get(0));
        assertTrue(problems.get(1).contains("`undocumentedList` (schema #/properties/output/properties/undocumentedList) is "
                + "not documented: add a row for it to the field table of ## `output`"), problems.get(1));
    }

    @Test
    void aStepOpAddedToTheSchemaNeedsAHeadingOfItsOwn() throws Exception {
        ObjectNode schema = (ObjectNode) JSON.readTree(SCHEMA_FILE.toFile());
        ((ArrayNode) schema.at("/properties/steps/items/properties/op/enum")).add("undocumentedOp");
        ArrayNode ops = (ArrayNode) schema.at("/properties/steps/items/oneOf");
        ops.add(JSON.readTree("{\"properties\": {\"op\": {\"const\": \"undocumentedOp\"}, \"column\": "
                + "{\"type\": \"string\"}}, \"required\": [\"op\", \"column\"]}"));

        List<String> problems = newProblems(schema, Files.readString(DOC));

        assertEquals(List.of("no section for `undocumentedOp` (schema #/properties/steps/items/oneOf/" + (ops.size() - 1)
                + "): add a heading '### `undocumentedOp`' under '## `steps`' with a field table for `column` and a "
                + "```json example"), problems);
    }

    @Test
    void aDocThatDropsOrInventsANameIsReported() throws Exception {
        JsonNode schema = JSON.readTree(SCHEMA_FILE.toFile());
        String doc = Files.readString(DOC);
        String withoutKeep = Pattern.compile("(?m)^\\| `keep` .*\\n").matcher(doc).replaceFirst("");
        String misspelt = doc.replaceFirst("\\| `delimiter` ", "| `delimeter` ");
        String withoutZstd = doc.replace("`zstd`", "zstd");
        String withoutExample = doc.replaceFirst("```json fragment\\n(\\{ \"op\": \"sql\")", "```text\n$1");

        assertTrue(check(schema, withoutKeep).stream().anyMatch(p -> p.contains("`keep` (schema "
                + "#/properties/steps/items/oneOf/7/properties/keep) is not documented: add a row for it to the field "
                + "table of ### `dedupe`")), String.join("\n", check(schema, withoutKeep)));
        assertTrue(check(schema, misspelt).stream().anyMatch(p -> p.contains("the field table of ## `source` lists "
                + "`delimeter`, which the schema does not define there")), String.join("\n", check(schema, misspelt)));
        assertTrue(check(schema, withoutZstd).stream().anyMatch(p -> p.contains("`zstd` (schema "
                + "#/properties/output/properties/compression/enum) is not mentioned in ## `output`")),
                String.join("\n", check(schema, withoutZstd)));
        assertTrue(check(schema, withoutExample).stream().anyMatch(p -> p.contains("### `sql` has no ```json "
                + "example")), String.join("\n", check(schema, withoutExample)));
    }

    @Test
    void anExampleThatTheReaderRefusesFails() throws Exception {
        Example select = examples().filter(e -> e.path().equals(List.of("steps", "select"))).findFirst().orElseThrow();
        Example broken = new Example(select.line(), select.info(), select.path(),
                select.text().replaceFirst("\"columns\": \\[\"", "\"columns\": [\"no_such_"));
        JsonNode definition = broken.definition(base(), JSON.readTree(SCHEMA_FILE.toFile()));
        DefinitionResult read = DefinitionReader.read("doc", JSON.writeValueAsString(definition), null);
        assertFalse(read.problems().isEmpty());
        assertTrue(read.problems().get(0).message().startsWith("no column 'no_such_"), read.problems().toString());
    }

    /** What {@code schema} finds wrong with {@code doc} beyond what the shipped schema finds, if anything. */
    private static List<String> newProblems(JsonNode schema, String doc) throws Exception {
        List<String> baseline = check(JSON.readTree(SCHEMA_FILE.toFile()), doc);
        return check(schema, doc).stream().filter(p -> !baseline.contains(p)).toList();
    }

    // ---- the doc's examples

    /** A fenced block of the doc, with the keys of the section it sits in. */
    record Example(int line, String info, List<String> path, String text) {

        /** The definition this example stands for: itself, or the base with the fragment in its place. */
        JsonNode definition(JsonNode base, JsonNode schema) throws Exception {
            JsonNode value = JSON.readTree(text);
            if (!info.equals("json fragment")) {
                return value;
            }
            if (path.isEmpty()) {
                throw new AssertionError(this + ": a fragment must sit under the heading of the field it is a value of");
            }
            String field = path.get(0);
            ObjectNode definition = base.deepCopy();
            boolean array = schema.at("/properties/" + field + "/type").asText().equals("array");
            if (array && !value.isArray()) {
                definition.putArray(field).add(value);
            } else {
                definition.set(field, value);
            }
            return definition;
        }

        @Override
        public String toString() {
            return DOC_NAME + ":" + line + " (```" + info + (path.isEmpty() ? "" : " under " + String.join(" > ", path))
                    + ")";
        }
    }

    static Stream<Example> examples() throws Exception {
        return Doc.parse(Files.readString(DOC)).examples.stream().filter(e -> e.info().startsWith("json"));
    }

    private static JsonNode base() throws Exception {
        List<Example> bases = examples().filter(e -> e.info().equals("json base")).toList();
        assertEquals(1, bases.size(), "```json base blocks in " + DOC_NAME);
        return JSON.readTree(bases.get(0).text());
    }

    // ---- the check

    /** Every disagreement between the schema and the doc, each saying what to fix where. */
    static List<String> check(JsonNode schema, String docText) {
        Map<List<String>, Section> sections = new SchemaWalk(schema).sections();
        Doc doc = Doc.parse(docText);
        List<String> problems = new ArrayList<>(doc.problems);
        for (Section section : sections.values()) {
            List<String> path = section.path;
            String where = heading(path);
            if (!path.isEmpty() && !doc.headings.containsKey(path)) {
                List<String> fields = new ArrayList<>(section.properties.keySet());
                problems.add("no section for `" + last(path) + "` (schema " + section.pointer + "): add a heading '"
                        + where + "'" + (path.size() > 1 ? " under '" + heading(path.subList(0, path.size() - 1)) + "'"
                        : "") + (fields.isEmpty() ? "" : " with a field table for " + fields.stream()
                        .map(f -> "`" + f + "`").collect(Collectors.joining(", "))) + " and a ```json example");
                continue;
            }
            checkFieldTable(section, doc, where, problems);
            Set<String> mentioned = doc.backticked(path);
            section.names.forEach((name, pointer) -> {
                boolean subsection = sections.containsKey(append(path, name));
                if (!subsection && mentioned.stream().noneMatch(t -> t.equals(name) || t.startsWith(name + "("))) {
                    problems.add("`" + name + "` (schema " + pointer + ") is not mentioned in " + where
                            + ": name it there in backticks");
                }
            });
            if (doc.examples.stream().noneMatch(e -> e.path().equals(path) && e.info().startsWith("json"))) {
                problems.add(where + " has no ```json example");
            }
        }
        doc.headings.forEach((path, line) -> {
            if (!sections.containsKey(path)) {
                List<String> parent = path.subList(0, path.size() - 1);
                problems.add(DOC_NAME + ":" + line + ": the heading `" + last(path) + "`" + (parent.isEmpty() ? ""
                        : " under " + heading(parent)) + " names nothing in the schema; sections here: "
                        + sections.keySet().stream().filter(p -> p.size() == path.size() && p.subList(0, p.size() - 1)
                        .equals(parent)).map(ReferenceDocTest::last).collect(Collectors.joining(", ")));
            }
        });
        return problems;
    }

    private static void checkFieldTable(Section section, Doc doc, String where, List<String> problems) {
        List<Table> tables = doc.tables.getOrDefault(section.path, List.of()).stream()
                .filter(t -> t.header().get(0).equalsIgnoreCase("field")).toList();
        if (tables.isEmpty()) {
            if (!section.properties.isEmpty()) {
                problems.add(where + " has no field table (a table whose first header cell is 'field'): add one with a "
                        + "row for each of " + section.properties.keySet().stream().map(f -> "`" + f + "`")
                        .collect(Collectors.joining(", ")));
            }
            return;
        }
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Table table : tables) {
            for (Map.Entry<Integer, List<String>> row : table.rows().entrySet()) {
                Matcher name = HEADING_KEY.matcher(row.getValue().get(0));
                if (!name.find()) {
                    problems.add(DOC_NAME + ":" + row.getKey() + ": a field table row must start with the field's "
                            + "name in backticks");
                    continue;
                }
                Map<String, String> cells = new HashMap<>();
                for (int i = 0; i < table.header().size() && i < row.getValue().size(); i++) {
                    cells.put(table.header().get(i).toLowerCase(), row.getValue().get(i));
                }
                if (!section.properties.containsKey(name.group(1))) {
                    problems.add(DOC_NAME + ":" + row.getKey() + ": the field table of " + where + " lists `"
                            + name.group(1) + "`, which the schema does not define there; it defines "
                            + String.join(", ", section.properties.keySet()));
                } else if (rows.put(name.group(1), cells) != null) {
                    problems.add(DOC_NAME + ":" + row.getKey() + ": `" + name.group(1) + "` has two rows in " + where);
                }
            }
        }
        section.properties.forEach((field, pointer) -> {
            Map<String, String> cells = rows.get(field);
            if (cells == null) {
                problems.add("`" + field + "` (schema " + pointer + ") is not documented: add a row for it to the "
                        + "field table of " + where);
                return;
            }
            JsonNode fallback = section.defaults.get(field);
            String defaultCell = cells.get("default");
            if (fallback != null && defaultCell != null && !backticked(defaultCell).contains(fallback.toString())
                    && !(fallback.isTextual() && backticked(defaultCell).contains(fallback.asText()))) {
                problems.add("the default of `" + field + "` in " + where + " is '" + defaultCell + "'; the schema's is `"
                        + fallback + "`");
            }
            String requiredCell = cells.get("required");
            boolean required = section.required.contains(field);
            if (requiredCell != null && !requiredCell.equalsIgnoreCase(required ? "yes" : "no")) {
                problems.add("`" + field + "` in " + where + " is marked required '" + requiredCell + "'; the schema "
                        + "says " + (required ? "yes" : "no"));
            }
        });
    }

    private static Set<String> backticked(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = BACKTICKED.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String heading(List<String> path) {
        return path.isEmpty() ? "the introduction (before the first keyed heading)"
                : "#".repeat(path.size() + 1) + " `" + last(path) + "`";
    }

    private static String last(List<String> path) {
        return path.get(path.size() - 1);
    }

    private static List<String> append(List<String> path, String key) {
        List<String> longer = new ArrayList<>(path);
        longer.add(key);
        return List.copyOf(longer);
    }

    // ---- the schema, as sections

    /** What one section of the doc must say. */
    static final class Section {
        final List<String> path;
        final String pointer;
        /** Its own properties: one field-table row each. */
        final Map<String, String> properties = new LinkedHashMap<>();
        final Set<String> required = new HashSet<>();
        final Map<String, JsonNode> defaults = new HashMap<>();
        /** Other names that belong here (values, map-value properties): each in backticks. */
        final Map<String, String> names = new LinkedHashMap<>();

        Section(List<String> path, String pointer) {
            this.path = path;
            this.pointer = pointer;
        }
    }

    /** Walks the schema from its root, following {@code $ref}s, and sorts every name into its section. */
    static final class SchemaWalk {
        private final JsonNode root;
        private final Map<List<String>, Section> sections = new LinkedHashMap<>();
        private final Set<String> reachedDefinitions = new HashSet<>();
        private final Deque<String> visiting = new ArrayDeque<>();

        SchemaWalk(JsonNode root) {
            this.root = root;
        }

        Map<List<String>, Section> sections() {
            object(root, "#", List.of(), null, true);
            root.path("$defs").fieldNames().forEachRemaining(name -> {
                if (!reachedDefinitions.contains("#/$defs/" + name)) {
                    throw new AssertionError("schema #/$defs/" + name + " is not used from the root, so the reference "
                            + "cannot place it: use it or remove it");
                }
            });
            return sections;
        }

        private Section section(List<String> path, String pointer) {
            return sections.computeIfAbsent(path, p -> new Section(p, pointer));
        }

        private JsonNode resolve(JsonNode node) {
            while (node.has("$ref")) {
                String ref = node.get("$ref").asText();
                if (!ref.startsWith("#/")) {
                    throw new AssertionError("the schema refers outside itself (" + ref + "); the reference test "
                            + "cannot follow it");
                }
                reachedDefinitions.add(ref);
                node = root.at(ref.substring(1));
            }
            return node;
        }

        /** An object schema whose properties are documented in the section at {@code path}. */
        private void object(JsonNode node, String pointer, List<String> path, String selector, boolean declares) {
            if (visiting.contains(pointer) || !node.isObject()) {
                return;
            }
            visiting.push(pointer);
            node = resolve(node);
            Section section = section(path, pointer);
            if (declares) {
                node.path("required").forEach(r -> section.required.add(r.asText()));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                if (!property.getKey().equals(selector)) {
                    property(section, property.getKey(), property.getValue(),
                            pointer + "/properties/" + property.getKey());
                }
            }
            for (String keyword : List.of("oneOf", "anyOf", "allOf")) {
                JsonNode branches = node.path(keyword);
                for (int i = 0; i < branches.size(); i++) {
                    String at = pointer + "/" + keyword + "/" + i;
                    JsonNode branch = resolve(branches.get(i));
                    Optional<Map.Entry<String, JsonNode>> chosenBy = selector(branch);
                    if (chosenBy.isPresent()) {
                        List<String> branchPath = append(path, chosenBy.get().getValue().get("const").asText());
                        section(branchPath, at);
                        object(branch, at, branchPath, chosenBy.get().getKey(), true);
                    } else {
                        object(branch, at, path, selector, keyword.equals("allOf") && declares);
                    }
                }
            }
            // if/then/else say which values go together, not what is required: their properties only.
            for (String keyword : List.of("if", "then", "else")) {
                if (node.has(keyword)) {
                    object(node.get(keyword), pointer + "/" + keyword, path, selector, false);
                }
            }
            node.path("dependentSchemas").fields().forEachRemaining(e -> object(e.getValue(),
                    pointer + "/dependentSchemas/" + e.getKey(), path, selector, false));
            visiting.pop();
        }

        /** The property whose string {@code const} selects this branch, as {@code op} does a step's. */
        private Optional<Map.Entry<String, JsonNode>> selector(JsonNode branch) {
            for (Iterator<Map.Entry<String, JsonNode>> it = branch.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                if (property.getValue().path("const").isTextual()) {
                    return Optional.of(property);
                }
            }
            return Optional.empty();
        }

        private void property(Section section, String name, JsonNode node, String pointer) {
            // A property that is another field's schema (onCommit's computes are the job's) is documented there: its
            // row here links to that section, which has none of its own under this one.
            boolean documentedElsewhere = node.path("$ref").asText("").startsWith("#/properties/");
            node = resolve(node);
            section.properties.putIfAbsent(name, pointer);
            if (documentedElsewhere) {
                return;
            }
            if (node.has("default")) {
                section.defaults.put(name, node.get("default"));
            }
            values(section, node, pointer);
            if (HEADED_ENUMS.contains(append(section.path, name))) {
                node.path("enum").forEach(v -> section(append(section.path, v.asText()), pointer + "/enum"));
            }
            String at = node.has("items") ? pointer + "/items" : pointer;
            JsonNode value = node.has("items") ? resolve(node.get("items")) : node;
            if (structured(value)) {
                object(value, at, append(section.path, name), null, true);
            } else {
                nested(section, value, at);
            }
        }

        /** Whether a value declares properties of its own (and so gets a section), rather than being a map. */
        private boolean structured(JsonNode node) {
            if (node.has("properties")) {
                return true;
            }
            for (String keyword : List.of("oneOf", "anyOf", "allOf")) {
                for (JsonNode branch : node.path(keyword)) {
                    if (resolve(branch).has("properties")) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Names inside a map's values (aggregate measures, cast types) belong to the section the map is in. */
        private void nested(Section section, JsonNode node, String pointer) {
            if (!node.isObject() || visiting.contains(pointer)) {
                return;
            }
            visiting.push(pointer);
            node = resolve(node);
            values(section, node, pointer);
            for (String keyword : List.of("additionalProperties", "items", "if", "then", "else")) {
                nested(section, node.path(keyword), pointer + "/" + keyword);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                String at = pointer + "/properties/" + property.getKey();
                section.names.putIfAbsent(property.getKey(), at);
                nested(section, property.getValue(), at);
            }
            for (String keyword : List.of("oneOf", "anyOf", "allOf")) {
                JsonNode branches = node.path(keyword);
                for (int i = 0; i < branches.size(); i++) {
                    nested(section, branches.get(i), pointer + "/" + keyword + "/" + i);
                }
            }
            visiting.pop();
        }

        /** Enum and const strings, and the words a pattern such as {@code ^(string|int|…)$} lists. */
        private void values(Section section, JsonNode node, String pointer) {
            node.path("enum").forEach(v -> {
                if (v.isTextual()) {
                    section.names.putIfAbsent(v.asText(), pointer + "/enum");
                }
            });
            if (node.path("const").isTextual()) {
                section.names.putIfAbsent(node.get("const").asText(), pointer + "/const");
            }
            patternWords(node.path("pattern").asText("")).forEach(w -> section.names.putIfAbsent(w, pointer + "/pattern"));
            if (node.has("items")) {
                values(section, resolve(node.get("items")), pointer + "/items");
            }
        }
    }

    /** The words of {@code ^(a|b|c\(…\))$}, or none when the pattern is not such a list. */
    static List<String> patternWords(String pattern) {
        Matcher list = WORD_LIST.matcher(pattern);
        if (!list.matches()) {
            return List.of();
        }
        List<String> alternatives = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        String body = list.group(1);
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                current.append(c).append(body.charAt(++i));
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                alternatives.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        alternatives.add(current.toString());
        List<String> words = new ArrayList<>();
        for (String alternative : alternatives) {
            Matcher word = WORD.matcher(alternative);
            if (!word.matches()) {
                return List.of();
            }
            words.add(word.group(1));
        }
        return words;
    }

    // ---- the doc, as sections

    record Table(List<String> header, Map<Integer, List<String>> rows) {
    }

    /** The doc cut into sections by its keyed headings ({@code ## `source`}), each with its own prose, tables and blocks. */
    static final class Doc {
        final Map<List<String>, Integer> headings = new LinkedHashMap<>();
        final Map<List<String>, List<String>> prose = new HashMap<>();
        final Map<List<String>, List<Table>> tables = new HashMap<>();
        final List<Example> examples = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        Set<String> backticked(List<String> path) {
            return prose.getOrDefault(path, List.of()).stream().flatMap(l -> ReferenceDocTest.backticked(l).stream())
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        static Doc parse(String text) {
            Doc doc = new Doc();
            record Level(int depth, List<String> path) {
            }
            Deque<Level> open = new ArrayDeque<>();
            open.push(new Level(0, List.of()));
            String[] lines = text.split("\n", -1);
            List<String> tableLines = new ArrayList<>();
            int tableStart = 0;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                int number = i + 1;
                List<String> path = open.peek().path();
                if (!line.startsWith("|") && !tableLines.isEmpty()) {
                    doc.table(path, tableStart, tableLines);
                    tableLines.clear();
                }
                if (line.startsWith("```")) {
                    String info = line.substring(3).trim();
                    StringBuilder block = new StringBuilder();
                    int start = number;
                    while (++i < lines.length && !lines[i].startsWith("```")) {
                        block.append(lines[i]).append('\n');
                    }
                    if (i == lines.length) {
                        doc.problems.add(DOC_NAME + ":" + start + ": the fenced block is not closed");
                    }
                    if (info.startsWith("json") && !Set.of("json", "json base", "json fragment").contains(info)) {
                        doc.problems.add(DOC_NAME + ":" + start + ": unknown block kind ```" + info
                                + "; use ```json, ```json base or ```json fragment");
                    }
                    doc.examples.add(new Example(start, info, path, block.toString()));
                    continue;
                }
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    int depth = heading.group(1).length();
                    while (open.peek().depth() >= depth) {
                        open.pop();
                    }
                    Matcher key = HEADING_KEY.matcher(heading.group(2).trim());
                    List<String> at = open.peek().path();
                    if (key.find()) {
                        at = append(at, key.group(1));
                        if (doc.headings.putIfAbsent(at, number) != null) {
                            doc.problems.add(DOC_NAME + ":" + number + ": a second heading for " + String.join(" > ", at));
                        }
                    }
                    open.push(new Level(depth, at));
                    continue;
                }
                if (line.startsWith("|")) {
                    if (tableLines.isEmpty()) {
                        tableStart = number;
                    }
                    tableLines.add(line);
                }
                doc.prose.computeIfAbsent(path, p -> new ArrayList<>()).add(line);
            }
            if (!tableLines.isEmpty()) {
                doc.table(open.peek().path(), tableStart, tableLines);
            }
            return doc;
        }

        private void table(List<String> path, int start, List<String> lines) {
            if (lines.size() < 2) {
                return;
            }
            Map<Integer, List<String>> rows = new LinkedHashMap<>();
            for (int j = 2; j < lines.size(); j++) {
                rows.put(start + j, cells(lines.get(j)));
            }
            tables.computeIfAbsent(path, p -> new ArrayList<>()).add(new Table(cells(lines.get(0)), rows));
        }

        private static List<String> cells(String line) {
            String inner = line.trim().replaceAll("^\\|", "").replaceAll("\\|$", "");
            List<String> cells = new ArrayList<>();
            for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
                cells.add(cell.trim());
            }
            return cells;
        }
    }
}
