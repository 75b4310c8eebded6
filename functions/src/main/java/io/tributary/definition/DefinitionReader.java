package io.tributary.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tributary.settings.SettingReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the text of one definition file into a {@link PipelineDefinition}, collecting every problem
 * (with file, line, column and JSON pointer) instead of stopping at the first.
 */
public final class DefinitionReader {

    private static final Pattern SPLIT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** {@code container/path}: a container name as Azure allows it, then a blob name. */
    public static final Pattern BLOB_REFERENCE = Pattern.compile("(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]/[^/].*[^/]|"
            + "(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]/[^/]");
    private static final Set<String> TOP =
            Set.of("$schema", "schemaVersion", "name", "description", "trigger", "schedule", "source", "columns",
                    "steps", "expectations", "split", "output", "schemaDrift", "concurrency",
                    "maxRejectedFraction", "chunkSize", "inferenceSample", "alerts");
    private static final Set<String> SOURCE_FIELDS = Set.of("format", "header", "delimiter", "quote", "escape",
            "nullString", "quotedEmpty", "encoding", "compression", "recordsPath", "timestampFormat", "dateFormat", "blob", "rest", "sql",
            "incremental");
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final String text;
    private final Fields fields;

    private DefinitionReader(String file, String text, LocatedJson json) {
        this.text = text;
        this.fields = new Fields(file, json);
    }

    /**
     * Reads a definition.
     *
     * @param file         how to name the file in problems
     * @param text         its content
     * @param expectedName the name the definition must have (its file name without {@code .json}), or null
     */
    public static DefinitionResult read(String file, String text, String expectedName) {
        return read(file, text, expectedName, DefinitionCheck.NONE);
    }

    /**
     * Reads a definition, then, when it reads without problems, runs {@code check} on it and reports its
     * findings at their places in the file. Never throws: whatever the text holds, the answer is a definition or the
     * problems that name where the file is wrong.
     */
    public static DefinitionResult read(String file, String text, String expectedName, DefinitionCheck check) {
        return read(file, text, expectedName, check, DefinitionAccess.from(io.tributary.settings.Settings::get));
    }

    /**
     * Reads a definition as {@link #read(String, String, String, DefinitionCheck)} does, reporting the settings it
     * names and the containers it reads that {@code access} refuses (the other reads take the access from the app
     * settings).
     */
    public static DefinitionResult read(String file, String text, String expectedName, DefinitionCheck check,
                                        DefinitionAccess access) {
        if (text.length() > DefinitionLimits.MAX_FILE_BYTES) {
            return tooLarge(file, text.length() + " characters");
        }
        LocatedJson json;
        try {
            json = LocatedJson.parse(text);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String message = e.getOriginalMessage().replaceAll("\\s+", " ").trim();
            if (e instanceof LocatedJson.OverLimit over) {
                return DefinitionResult.failed(List.of(new Problem(file, location.getLineNr(),
                        location.getColumnNr(), over.pointer(), message)));
            }
            return DefinitionResult.failed(List.of(new Problem(file,
                    location == null ? 1 : location.getLineNr(), location == null ? 1 : location.getColumnNr(), "",
                    "malformed JSON: " + message)));
        } catch (IOException e) {
            return DefinitionResult.failed(List.of(new Problem(file, 1, 1, "", "cannot read: " + e.getMessage())));
        }
        DefinitionReader reader = new DefinitionReader(file, text, json);
        PipelineDefinition definition;
        try {
            ForbiddenCharacters.report(json.root(), "", reader.fields);
            definition = reader.definition(expectedName, hash(json.root()));
        } catch (RuntimeException | StackOverflowError e) {
            // A flaw of the reader, not of the file: still only this file is refused, and the others load.
            reader.fields.problem("", "the definition could not be read (" + e + "); this is a flaw in Tributary: "
                    + "please report it with the file");
            definition = null;
        }
        if (reader.fields.problems().isEmpty()) {
            try {
                check.check(definition).forEach(f -> reader.fields.problem(f.pointer(), f.message()));
            } catch (RuntimeException | StackOverflowError e) {
                reader.fields.problem("", "the engine could not check the definition's SQL (" + e.getMessage()
                        + "); it is not loaded until it can be: run 'tributary validate' again");
            }
        }
        try {
            new AccessCheck(reader.fields, access).check(json.root());
        } catch (RuntimeException | StackOverflowError e) {
            reader.fields.problem("", "the settings and containers the definition uses could not be checked (" + e
                    + "); this is a flaw in Tributary: please report it with the file");
        }
        // In file order, as an editor lists them; problems at one place keep the order they were found in.
        List<Problem> problems = reader.fields.problems().stream()
                .sorted(java.util.Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column)).toList();
        return problems.isEmpty() ? DefinitionResult.ok(definition) : DefinitionResult.failed(problems);
    }

    /**
     * Reads a definition file's bytes: UTF-8 text of at most {@link DefinitionLimits#MAX_FILE_BYTES}, else the problem
     * that says where it is not.
     */
    public static DefinitionResult read(String file, byte[] bytes, String expectedName, DefinitionCheck check) {
        if (bytes.length > DefinitionLimits.MAX_FILE_BYTES) {
            return tooLarge(file, bytes.length + " bytes");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        try {
            return read(file, decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString(), expectedName, check);
        } catch (java.nio.charset.CharacterCodingException e) {
            return DefinitionResult.failed(List.of(notUtf8(file, bytes)));
        }
    }

    static DefinitionResult tooLarge(String file, String size) {
        return DefinitionResult.failed(List.of(new Problem(file, 1, 1, "", "the file is " + size + ", over the "
                + DefinitionLimits.MAX_FILE_BYTES / 1024 + " KiB a definition may be; a definition needs a few KiB "
                + "(is this the right file?)")));
    }

    /** Where the first byte that is not UTF-8 is, by line and column of the text before it. */
    private static Problem notUtf8(String file, byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        decoder.decode(in, out, true); // stops at the first malformed sequence
        String before = out.flip().toString();
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        int column = before.length() - before.lastIndexOf('\n');
        return new Problem(file, line, column, "", "the file is not UTF-8 text: the byte 0x"
                + String.format("%02X", bytes[Math.min(in.position(), bytes.length - 1)] & 0xff) + " here is not valid "
                + "UTF-8; save the file as UTF-8");
    }

    private PipelineDefinition definition(String expectedName, String hash) {
        JsonNode root = fields.json().root();
        if (!fields.object(root, "", TOP)) {
            return null;
        }
        requireSchemaVersion(root);
        String name = fields.string(root, "", "name", true);
        if (name != null && !PipelineName.isValid(name)) {
            fields.problem("/name", "'" + name + "' is not a valid pipeline name: use " + PipelineName.RULE
                    + " (it becomes a blob folder and part of run ids)");
        } else if (name != null && expectedName != null && !name.equals(expectedName)) {
            fields.problem("/name", "the name '" + name + "' differs from the file name '" + expectedName
                    + ".json'; rename one so they match");
        }
        String description = fields.string(root, "", "description", false);
        Optional<DatasetTrigger> dataset = datasetTrigger(root.get("trigger"));
        Optional<FileDropTrigger> fileDrop = dataset.isPresent() || isDatasetTrigger(root.get("trigger"))
                ? Optional.empty() : trigger(root.get("trigger"));
        Optional<ScheduleTrigger> schedule = schedule(root.get("schedule"));
        Optional<String> sourceBlob = Optional.empty();
        Optional<FetchedSource> fetched = Optional.empty();
        Optional<Incremental> incremental = Optional.empty();
        SourceFormat sourceFormat = SourceFormat.DEFAULT;
        JsonNode source = root.get("source");
        if (source == null) {
            fields.problem("", "missing required field 'source' (e.g. \"source\": {\"format\": \"csv\"})");
        } else if (fields.object(source, "/source", SOURCE_FIELDS)) {
            fetched = fetchedSource(source);
            sourceFormat = fetched.isPresent() ? SourceFormat.fetched(timeFormat(source, "timestampFormat"),
                    timeFormat(source, "dateFormat")) : sourceFormat(source);
            sourceBlob = Optional.ofNullable(fields.string(source, "/source", "blob", false));
            sourceBlob.filter(b -> !BLOB_REFERENCE.matcher(b).matches())
                    .ifPresent(b -> fields.problem("/source/blob", notABlobReference(b)));
            incremental = incremental(source.get("incremental"));
            if (incremental.isPresent() && fetched.isEmpty()) {
                fields.problemAtKey("/source/incremental", "an incremental cursor belongs to a \"rest\" or \"sql\" "
                        + "source; files are loaded incrementally already (each name and ETag once), so remove it");
            }
        }
        if (isDatasetTrigger(root.get("trigger")) && source != null) {
            datasetSource(source, sourceFormat, schedule.isPresent());
        } else if (schedule.isPresent() && sourceBlob.isEmpty() && fetched.isEmpty() && source != null) {
            fields.problem("/schedule", "a scheduled pipeline needs a source to read: \"source\": {\"blob\": "
                    + "\"container/path\"}, {\"rest\": {…}} or {\"sql\": {…}}");
        }
        List<Column> columns = columns(root.get("columns"));
        String schemaDrift = schemaDrift(root, columns, sourceFormat);
        if (sourceFormat.timestampFormat().filter(f -> f.contains("%z")).isPresent()) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).timeZone().isPresent()) {
                    fields.problemAtKey("/columns/" + i + "/timeZone", "the timestampFormat reads each value's offset "
                            + "(%z), so values are instants already; remove the timeZone");
                }
            }
        }
        // Without declared columns, only the run knows them: names are checked by the engine then.
        List<String> names = columns.isEmpty() ? null : columns.stream().map(Column::name).toList();
        List<Step> steps = new StepReader(fields).steps(root.get("steps"), names);
        Optional<Split> split = split(root.get("split"));
        Optional<List<String>> after = Optional.ofNullable(names);
        for (Step step : steps) {
            after = after.flatMap(step::outputColumns);
        }
        List<String> finalColumns = after.orElse(null);
        split.ifPresent(sp -> {
            for (int i = 0; i < sp.keys().size(); i++) {
                String key = sp.keys().get(i);
                if (finalColumns != null && !finalColumns.contains(key)) {
                    fields.problem("/split/keys/" + i, "no column '" + key + "' after the last step"
                            + Suggestions.didYouMean(key, finalColumns) + "; available: "
                            + String.join(", ", finalColumns));
                }
            }
        });
        List<Expectation> expectations = new ExpectationReader(fields).expectations(root.get("expectations"),
                finalColumns);
        Output output = output(root.get("output"), finalColumns);
        int concurrency = concurrency(root.get("concurrency"), incremental.isPresent() || schedule.isPresent());
        if (concurrency > 1 && incremental.isPresent()) {
            fields.problemAtKey("/concurrency", "an incremental source needs \"concurrency\": 1, so that each run "
                    + "starts after the high-water mark of the one before; two runs at once would read the same "
                    + "records (remove \"concurrency\" or set it to 1)");
        }
        return new PipelineDefinition(name, description == null ? "" : description, fileDrop, schedule, dataset,
                sourceBlob,
                fetched, incremental, sourceFormat, columns, schemaDrift, steps, expectations, split, output, concurrency,
                maxRejectedFraction(root.get("maxRejectedFraction")), chunkSize(root), inferenceSample(root),
                alerts(root.get("alerts")), hash, text);
    }

    /** How many bytes of the source each chunk holds, about (records are not cut); the default when absent. */
    private long chunkSize(JsonNode root) {
        return size(root, "chunkSize", PipelineDefinition.DEFAULT_CHUNK_BYTES, 1024, Long.MAX_VALUE,
                size -> "a chunk of " + size + " holds next to nothing; give at least 1KB (the default is 64MB)");
    }

    private long inferenceSample(JsonNode root) {
        return size(root, "inferenceSample", PipelineDefinition.DEFAULT_INFERENCE_SAMPLE, 1024,
                PipelineDefinition.MAX_INFERENCE_SAMPLE,
                size -> "a sample of " + size + " is out of range; give 1KB to 1GB (the default is 4MB)");
    }

    /** A top-level size such as {@code "64MB"}: {@code fallback} when absent, a problem when out of range. */
    private long size(JsonNode root, String field, long fallback, long min, long max,
                      java.util.function.Function<String, String> outOfRange) {
        String size = fields.string(root, "", field, false);
        if (size == null) {
            return fallback;
        }
        try {
            long bytes = Output.parseSize(size);
            if (bytes >= min && bytes <= max) {
                return bytes;
            }
            fields.problem("/" + field, outOfRange.apply(size));
        } catch (IllegalArgumentException e) {
            fields.problem("/" + field, e.getMessage());
        }
        return fallback;
    }

    /** The keys that name a fetched source, in {@code source}. */
    private static final List<String> FETCHED_KINDS = List.of("rest", "sql");
    /** The options that describe a file, which a fetched source does not have. */
    private static final List<String> FILE_ONLY = List.of("format", "header", "delimiter", "quote", "escape",
            "nullString", "quotedEmpty", "encoding", "compression", "recordsPath");

    private SourceFormat sourceFormat(JsonNode source) {
        String format = fields.string(source, "/source", "format", true);
        if (format != null && !SourceFormat.FORMATS.contains(format)) {
            fields.problem("/source/format", "unknown source format '" + format + "'" + Suggestions.didYouMean(format,
                    SourceFormat.FORMATS) + "; allowed: " + String.join(", ", SourceFormat.FORMATS));
            format = null;
        }
        if (format != null) {
            for (String option : new java.util.TreeSet<>(SourceFormat.FORMAT_OPTIONS.keySet())) {
                List<String> formats = SourceFormat.FORMAT_OPTIONS.get(option);
                if (source.has(option) && !formats.contains(format)) {
                    String owners = formats.equals(List.of("csv")) ? "CSV sources" : formats.equals(List.of("json"))
                            ? "json sources" : "text sources (" + String.join(", ", formats) + ")";
                    fields.problemAtKey("/source/" + option, "'" + option + "' is an option of " + owners + "; a "
                            + format + " source has no " + option + " (remove it)");
                }
            }
        }
        boolean header = fields.bool(source, "/source", "header", true);
        char delimiter = fields.character(source, "/source", "delimiter", ',');
        char quote = fields.character(source, "/source", "quote", '"');
        char escape = fields.character(source, "/source", "escape", quote);
        String nullString = Optional.ofNullable(fields.string(source, "/source", "nullString", false)).orElse("");
        String quotedEmpty = Optional.ofNullable(fields.string(source, "/source", "quotedEmpty", false)).orElse("string");
        if (!SourceFormat.QUOTED_EMPTY.contains(quotedEmpty)) {
            fields.problem("/source/quotedEmpty", "unknown quotedEmpty '" + quotedEmpty + "'" + Suggestions.didYouMean(
                    quotedEmpty, SourceFormat.QUOTED_EMPTY) + "; allowed: string (a quoted empty field is the empty "
                    + "string) or null (it is a missing value)");
            quotedEmpty = "string";
        }
        if (delimiter == quote) {
            fields.problem("/source/quote", "the quote character is the same as the delimiter ('" + delimiter
                    + "'); give them different characters");
        }
        if (source.has("escape") && escape == delimiter) {
            fields.problem("/source/escape", "the escape character is the same as the delimiter ('" + delimiter
                    + "'); give them different characters");
        }
        return new SourceFormat(format == null ? "csv" : format, header, delimiter, quote, escape, nullString,
                quotedEmpty, encoding(source), compression(source), recordsPath(source),
                timeFormat(source, "timestampFormat"), timeFormat(source, "dateFormat"));
    }

    /**
     * The API or database the source is fetched from ({@code rest} or {@code sql}), if either is given; a fetched
     * source is read as JSON Lines, so it takes none of the file options.
     */
    private Optional<FetchedSource> fetchedSource(JsonNode source) {
        List<String> kinds = FETCHED_KINDS.stream().filter(source::has).toList();
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        if (kinds.size() > 1 || source.has("blob")) {
            fields.problemAtKey("/source/" + kinds.get(kinds.size() - 1), "a source is one of a blob, \"rest\" or "
                    + "\"sql\"; this one names " + String.join(" and ", source.has("blob")
                    ? java.util.stream.Stream.concat(java.util.stream.Stream.of("blob"), kinds.stream()).toList() : kinds)
                    + " (keep one)");
        }
        for (String option : FILE_ONLY) {
            if (source.has(option)) {
                fields.problemAtKey("/source/" + option, "'" + option + "' describes a file; a " + kinds.get(0)
                        + " source is fetched as JSON records (remove it)");
            }
        }
        Optional<FetchedSource> fetched = Optional.empty();
        if (source.has("rest")) {
            fetched = new RestSourceReader(fields).read(source.get("rest"));
        }
        if (source.has("sql")) {
            fetched = Optional.of(new SqlSourceReader(fields).read(source.get("sql")));
        }
        return fetched;
    }

    /** How runs read only new records: {@code "incremental": {"cursor": "updated_at", "initial": "…"}}. */
    private Optional<Incremental> incremental(JsonNode incremental) {
        if (incremental == null || !fields.object(incremental, "/source/incremental", Set.of("cursor", "initial"))) {
            return Optional.empty();
        }
        String cursor = fields.string(incremental, "/source/incremental", "cursor", true);
        String initial = fields.string(incremental, "/source/incremental", "initial", false);
        return cursor == null ? Optional.empty() : Optional.of(new Incremental(cursor, Optional.ofNullable(initial)));
    }

    /** A character set Java knows; UTF-8 when absent. */
    private String encoding(JsonNode source) {
        String encoding = fields.string(source, "/source", "encoding", false);
        if (encoding == null) {
            return SourceFormat.UTF_8;
        }
        if (Encodings.resolve(encoding).isEmpty()) {
            fields.problem("/source/encoding", "unknown encoding '" + encoding + "'" + Suggestions.didYouMean(encoding,
                    Encodings.COMMON) + "; use a character set name such as " + String.join(", ", Encodings.COMMON));
            return SourceFormat.UTF_8;
        }
        return encoding;
    }

    private String compression(JsonNode source) {
        String compression = fields.string(source, "/source", "compression", false);
        if (compression == null) {
            return "auto";
        }
        if (!SourceFormat.COMPRESSIONS.contains(compression)) {
            fields.problem("/source/compression", "unknown compression '" + compression + "'"
                    + Suggestions.didYouMean(compression, SourceFormat.COMPRESSIONS) + "; allowed: auto (gzip is "
                    + "recognized by its first bytes, whatever the file is called), gzip, none");
            return "auto";
        }
        return compression;
    }

    /** A JSON Pointer such as {@code /data/items}. */
    private Optional<String> recordsPath(JsonNode source) {
        String path = fields.string(source, "/source", "recordsPath", false);
        if (path == null) {
            return Optional.empty();
        }
        if (!path.startsWith("/") || path.matches(".*~[^01].*|.*~$")) {
            fields.problem("/source/recordsPath", "'" + path + "' is not a JSON Pointer to the array of records: "
                    + "write the keys from the document's top down, each after a '/', e.g. \"/data/items\" for "
                    + "{\"data\": {\"items\": [...]}} (leave recordsPath out when the document is the array)");
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /** Why {@code value}, which does not match {@link #BLOB_REFERENCE}, is refused. */
    static String notABlobReference(String value) {
        return "'" + value + "' is not a blob reference: write \"container/path/name.csv\", where the container name "
                + "is 3-63 lower-case letters, digits and single '-'";
    }

    /** What a run does with columns the source has beyond the declared ones: fail (default), ignore or evolve. */
    private String schemaDrift(JsonNode root, List<Column> columns, SourceFormat source) {
        String policy = fields.string(root, "", "schemaDrift", false);
        if (policy == null) {
            return PipelineDefinition.DRIFT_POLICIES.get(0);
        }
        if (!PipelineDefinition.DRIFT_POLICIES.contains(policy)) {
            fields.problem("/schemaDrift", "unknown schema drift policy '" + policy + "'" + Suggestions.didYouMean(policy,
                    PipelineDefinition.DRIFT_POLICIES) + "; allowed: fail (a column the definition does not declare "
                    + "fails the run), ignore (such columns are dropped), evolve (they are added, nullable)");
        } else if (root.has("columns") && columns.isEmpty()) {
            return policy; // the columns have problems of their own
        } else if (columns.isEmpty()) {
            fields.problem("/schemaDrift", "a schema drift policy needs declared \"columns\" to drift from; without "
                    + "them every run infers its columns from its input");
        } else if (!policy.equals("fail") && source.isCsv() && !source.header()) {
            fields.problem("/schemaDrift", "'" + policy + "' matches columns by name, which needs a header line; set "
                    + "\"header\": true, or keep \"schemaDrift\": \"fail\"");
        }
        return policy;
    }

    /** A strptime format such as {@code "%d/%m/%Y %H:%M"}; the engine checks its codes. */
    private Optional<String> timeFormat(JsonNode source, String field) {
        String format = fields.string(source, "/source", field, false);
        if (format != null && !format.contains("%")) {
            fields.problem("/source/" + field, "'" + format + "' has no format codes; write how the values look with "
                    + "strptime codes, e.g. \"%d/%m/%Y %H:%M\" for 22/11/2026 14:05");
            return Optional.empty();
        }
        return Optional.ofNullable(format);
    }

    private Optional<Split> split(JsonNode node) {
        if (node == null || !fields.object(node, "/split", Set.of("keys", "seed", "fractions"))) {
            return Optional.empty();
        }
        List<String> keys = new ArrayList<>();
        JsonNode keyNode = node.get("keys");
        if (keyNode == null || !keyNode.isArray() || keyNode.isEmpty()) {
            fields.problem(keyNode == null ? "/split" : "/split/keys", "the split needs \"keys\": the columns that "
                    + "identify an entity, e.g. [\"customer_id\"], so each entity stays in one split");
        } else {
            for (int i = 0; i < keyNode.size(); i++) {
                if (keyNode.get(i).isTextual()) {
                    keys.add(keyNode.get(i).asText());
                } else {
                    fields.problem("/split/keys/" + i, "expected a column name, found " + Fields.describe(keyNode.get(i)));
                }
            }
        }
        JsonNode seedNode = node.get("seed");
        long seed = 0;
        if (seedNode != null && !seedNode.canConvertToLong()) {
            fields.problem("/split/seed", "expected a whole number, found " + Fields.describe(seedNode));
        } else if (seedNode != null) {
            seed = seedNode.asLong();
        }
        Map<String, Double> fractions = new LinkedHashMap<>();
        JsonNode fractionNode = node.get("fractions");
        if (fractionNode == null || !fractionNode.isObject() || fractionNode.size() < 2) {
            fields.problem(fractionNode == null ? "/split" : "/split/fractions", "the split needs \"fractions\" for "
                    + "two or more splits, e.g. {\"train\": 0.8, \"validation\": 0.1, \"test\": 0.1}");
            return Optional.empty();
        }
        fractionNode.fields().forEachRemaining(e -> {
            String at = "/split/fractions/" + LocatedJson.escape(e.getKey());
            if (!SPLIT_NAME.matcher(e.getKey()).matches()) {
                fields.problemAtKey(at, "'" + e.getKey() + "' cannot name a split folder: use lower-case letters, "
                        + "digits, '_' and '-'");
            } else if (!e.getValue().isNumber() || e.getValue().asDouble() <= 0 || e.getValue().asDouble() > 1) {
                fields.problem(at, "expected a share between 0 and 1, found " + Fields.describe(e.getValue()));
            } else {
                fractions.put(e.getKey(), e.getValue().asDouble());
            }
        });
        double sum = fractions.values().stream().mapToDouble(Double::doubleValue).sum();
        if (fractions.size() == fractionNode.size() && Math.abs(sum - 1) > 1e-9) {
            fields.problem("/split/fractions", "the fractions add up to " + sum + "; they must add up to 1");
        }
        return keys.isEmpty() || fractions.size() < 2 ? Optional.empty() : Optional.of(new Split(keys, seed, fractions));
    }

    private void requireSchemaVersion(JsonNode root) {
        JsonNode version = root.get("schemaVersion");
        if (version == null) {
            fields.problem("", "missing required field 'schemaVersion'; add \"schemaVersion\": " + PipelineDefinition.SCHEMA_VERSION);
        } else if (!version.isIntegralNumber() || version.asInt() != PipelineDefinition.SCHEMA_VERSION) {
            fields.problem("/schemaVersion", "unsupported schemaVersion " + version + "; this Tributary reads version "
                    + PipelineDefinition.SCHEMA_VERSION);
        }
    }

    private Optional<FileDropTrigger> trigger(JsonNode trigger) {
        if (trigger == null || !fields.object(trigger, "/trigger", TRIGGER_FIELDS)) {
            return Optional.empty();
        }
        String type = fields.string(trigger, "/trigger", "type", true);
        if (type != null && !type.equals("fileDrop")) {
            fields.problem("/trigger/type", "unknown trigger type '" + type + "'" + Suggestions.didYouMean(type,
                    TRIGGER_TYPES) + "; allowed: fileDrop (a file lands), dataset (another pipeline commits; "
                    + "schedules go in \"schedule\")");
        }
        for (String field : List.of("pipeline", "splits")) {
            if (trigger.has(field)) {
                fields.problemAtKey("/trigger/" + field, "'" + field + "' belongs to a \"dataset\" trigger; a "
                        + "fileDrop trigger has none (remove it)");
            }
        }
        String path = fields.string(trigger, "/trigger", "path", true);
        if (path != null && (path.isBlank() || path.startsWith("/") || path.startsWith("landing/"))) {
            fields.problem("/trigger/path", "'" + path + "' must be a glob inside the landing container, without the "
                    + "container name, e.g. \"orders/*.csv\"");
            path = null;
        } else if (path != null && path.length() > DefinitionLimits.MAX_BLOB_NAME) {
            fields.problem("/trigger/path", "the path is " + path.length() + " characters long, but a blob's name "
                    + "is at most " + DefinitionLimits.MAX_BLOB_NAME + ", so it matches no file; shorten it");
            path = null;
        } else if (path != null) {
            try {
                FileDropTrigger.compile(path);
            } catch (IllegalArgumentException e) {
                fields.problem("/trigger/path", "'" + path + "': " + e.getMessage());
                path = null;
            }
        }
        List<String> suffixes = suffixes(trigger.get("suffixes"));
        String emptyFiles = choice(trigger, "emptyFiles", FileDropTrigger.EMPTY_FILES, "ignore (a zero-byte file "
                + "starts no run), run");
        String afterCommit = choice(trigger, "afterCommit", FileDropTrigger.AFTER_COMMIT, "leave (the file stays "
                + "in landing), archive (moved to the archive container), delete");
        return path == null ? Optional.empty()
                : Optional.of(new FileDropTrigger(path, suffixes, emptyFiles, afterCommit));
    }

    private static final List<String> TRIGGER_TYPES = List.of("fileDrop", "dataset");
    private static final Set<String> TRIGGER_FIELDS = Set.of("type", "path", "suffixes", "emptyFiles", "afterCommit",
            "pipeline", "splits");

    private static boolean isDatasetTrigger(JsonNode trigger) {
        return trigger != null && trigger.isObject() && "dataset".equals(trigger.path("type").asText(null));
    }

    /**
     * A {@code "type": "dataset"} trigger: the upstream pipeline (a pipeline name; that it exists and that no
     * cycle forms is checked by the catalog, which sees every definition) and the splits a run reads.
     */
    private Optional<DatasetTrigger> datasetTrigger(JsonNode trigger) {
        if (!isDatasetTrigger(trigger) || !fields.object(trigger, "/trigger", TRIGGER_FIELDS)) {
            return Optional.empty();
        }
        for (String field : List.of("path", "suffixes", "emptyFiles", "afterCommit")) {
            if (trigger.has(field)) {
                fields.problemAtKey("/trigger/" + field, "'" + field + "' belongs to a \"fileDrop\" trigger; a "
                        + "dataset trigger starts a run when the pipeline it names commits (remove it)");
            }
        }
        String pipeline = fields.string(trigger, "/trigger", "pipeline", true);
        if (pipeline != null && !PipelineName.isValid(pipeline)) {
            fields.problem("/trigger/pipeline", "'" + pipeline + "' is not a pipeline name: name the upstream "
                    + "pipeline as its \"name\" says, e.g. \"orders\"");
            pipeline = null;
        }
        List<String> splits = new ArrayList<>();
        JsonNode node = trigger.get("splits");
        if (node != null && (!node.isArray() || node.isEmpty())) {
            fields.problem("/trigger/splits", "expected a non-empty array of the upstream's split names, e.g. "
                    + "[\"train\"], found " + Fields.describe(node));
        } else if (node != null) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode split = node.get(i);
                if (!split.isTextual() || !SPLIT_NAME.matcher(split.asText()).matches()) {
                    fields.problem("/trigger/splits/" + i, "expected a split name such as \"train\" (or \"data\" "
                            + "for a dataset without a split), found " + Fields.describe(split));
                } else if (splits.contains(split.asText())) {
                    fields.problem("/trigger/splits/" + i, "the split '" + split.asText() + "' is listed twice");
                } else {
                    splits.add(split.asText());
                }
            }
        }
        return pipeline == null ? Optional.empty() : Optional.of(new DatasetTrigger(pipeline, splits));
    }

    /** A dataset-triggered run reads the upstream's Parquet parts: no blob, API or database of its own. */
    private void datasetSource(JsonNode source, SourceFormat format, boolean scheduled) {
        for (String own : List.of("blob", "rest", "sql")) {
            if (source.has(own)) {
                fields.problemAtKey("/source/" + own, "a pipeline with a \"dataset\" trigger reads the upstream "
                        + "pipeline's committed dataset; it has no " + own + " of its own (remove it)");
            }
        }
        if (!format.isParquet() && source.has("format")) {
            fields.problem("/source/format", "a pipeline with a \"dataset\" trigger reads the upstream's Parquet "
                    + "parts: set \"format\": \"parquet\"");
        }
        if (scheduled) {
            fields.problemAtKey("/schedule", "a pipeline with a \"dataset\" trigger runs when its upstream commits; "
                    + "it has no source to read on a schedule (remove \"schedule\")");
        }
    }

    /** The suffixes a dropped file's name must end with: a non-empty list of non-empty strings. */
    private List<String> suffixes(JsonNode node) {
        List<String> suffixes = new ArrayList<>();
        if (node == null) {
            return suffixes;
        }
        if (!node.isArray() || node.isEmpty()) {
            fields.problem("/trigger/suffixes", "expected a non-empty array of name endings, e.g. [\".csv\", "
                    + "\".csv.gz\"], found " + Fields.describe(node));
            return suffixes;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode suffix = node.get(i);
            if (!suffix.isTextual() || suffix.asText().isEmpty() || suffix.asText().contains("/")) {
                fields.problem("/trigger/suffixes/" + i, "expected the end of a file name such as \".csv\", found "
                        + Fields.describe(suffix));
            } else {
                suffixes.add(suffix.asText());
            }
        }
        return suffixes;
    }

    /** One of {@code allowed} (the first when absent), or a problem naming them as {@code explained}. */
    private String choice(JsonNode parent, String field, List<String> allowed, String explained) {
        String value = fields.string(parent, "/trigger", field, false);
        if (value == null) {
            return allowed.get(0);
        }
        if (!allowed.contains(value)) {
            fields.problem("/trigger/" + field, "unknown " + field + " '" + value + "'"
                    + Suggestions.didYouMean(value, allowed) + "; allowed: " + explained);
            return allowed.get(0);
        }
        return value;
    }

    private Optional<ScheduleTrigger> schedule(JsonNode schedule) {
        if (schedule == null || !fields.object(schedule, "/schedule", Set.of("cron", "timeZone", "missed",
                "maxCatchUp"))) {
            return Optional.empty();
        }
        String cron = fields.string(schedule, "/schedule", "cron", true);
        boolean cronValid = cron != null && validCron(cron);
        Optional<ZoneId> zone = Optional.of(ScheduleTrigger.DEFAULT_TIME_ZONE);
        String zoneText = fields.string(schedule, "/schedule", "timeZone", false);
        if (zoneText != null) {
            zone = zoneId(zoneText, "/schedule/timeZone");
        }
        String missedText = fields.string(schedule, "/schedule", "missed", false);
        ScheduleTrigger.Missed missed = ScheduleTrigger.Missed.LATEST;
        if (missedText != null) {
            missed = ScheduleTrigger.Missed.of(missedText).orElse(null);
            if (missed == null) {
                fields.problem("/schedule/missed", "unknown policy for missed windows '" + missedText + "'"
                        + Suggestions.didYouMean(missedText, ScheduleTrigger.Missed.NAMES) + "; allowed: catchUp (start "
                        + "each missed window, oldest first, at most maxCatchUp per tick), latest (only the newest), skip (none)");
            }
        }
        int maxCatchUp = positiveInt(schedule, "/schedule", "maxCatchUp", ScheduleTrigger.DEFAULT_MAX_CATCH_UP);
        if (schedule.has("maxCatchUp") && missed != ScheduleTrigger.Missed.CATCH_UP && missed != null) {
            fields.problemAtKey("/schedule/maxCatchUp", "maxCatchUp limits \"missed\": \"catchUp\"; with \""
                    + missed.json() + "\" it does nothing (remove it, or set \"missed\": \"catchUp\")");
        }
        if (!cronValid || zone.isEmpty() || missed == null) {
            return Optional.empty();
        }
        return Optional.of(new ScheduleTrigger(cron, zone.get(), missed, maxCatchUp));
    }

    /**
     * Whether {@code cron} is a valid NCRONTAB expression that fires, or a well-formed {@code %SETTING%} reference
     * (whose value is only known, and checked, when the schedule is evaluated).
     */
    private boolean validCron(String cron) {
        if (cron.contains("%")) {
            if (SettingReference.PATTERN.matcher(cron.trim()).matches()) {
                return true;
            }
            fields.problem("/schedule/cron", "'" + cron + "' is neither an NCRONTAB expression nor an app setting "
                    + "reference; name a setting as the whole value, e.g. \"%ORDERS_SCHEDULE%\" (letters, digits, "
                    + "'_', ':', '.', '-')");
            return false;
        }
        try {
            if (Ncrontab.parse(cron).next(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)).isEmpty()) {
                fields.problem("/schedule/cron", "'" + cron + "' never fires (is it a date that does not exist, "
                        + "such as February 31?)");
                return false;
            }
        } catch (IllegalArgumentException e) {
            fields.problem("/schedule/cron", e.getMessage());
            return false;
        }
        return true;
    }

    /** How many runs of the pipeline may be active at once; further runs wait. Default 1. */
    /**
     * How many runs may be active at once: as written, else one at a time for a pipeline that loads incrementally or
     * on a schedule (each run after the previous one; a backfill paced), else no limit (dropped files run side by
     * side).
     */
    private int concurrency(JsonNode node, boolean paced) {
        int fallback = paced ? PipelineDefinition.DEFAULT_CONCURRENCY : PipelineDefinition.UNLIMITED;
        if (node != null && (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1)) {
            fields.problem("/concurrency", "expected how many runs of the pipeline may be active at once, a whole "
                    + "number of at least 1, found " + Fields.describe(node));
            return fallback;
        }
        return node == null ? fallback : node.asInt();
    }

    /** The most of a run's rows that may be rejected, a number from 0 to 1; empty when absent (no limit). */
    private Optional<Double> maxRejectedFraction(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isNumber() || node.asDouble() < 0 || node.asDouble() > 1) {
            fields.problem("/maxRejectedFraction", "expected the most of a run's rows that may be rejected, a number "
                    + "from 0 to 1 (0.05 for 5%), found " + Fields.describe(node));
            return Optional.empty();
        }
        return Optional.of(node.asDouble());
    }

    /** The pipeline's own alert rules; none when absent. */
    private AlertRules alerts(JsonNode node) {
        if (node == null || !fields.object(node, "/alerts", Set.of("rejectedFraction"))) {
            return AlertRules.NONE;
        }
        JsonNode fraction = node.get("rejectedFraction");
        if (fraction == null) {
            return AlertRules.NONE;
        }
        if (!fraction.isNumber() || fraction.asDouble() < 0 || fraction.asDouble() > 1) {
            fields.problem("/alerts/rejectedFraction", "expected the fraction of a run's rows rejected above which "
                    + "it alerts, a number from 0 to 1 (0.01 for 1%), found " + Fields.describe(fraction));
            return AlertRules.NONE;
        }
        return new AlertRules(Optional.of(fraction.asDouble()));
    }

    /** A whole number of at least 1, or {@code fallback} when absent. */
    private int positiveInt(JsonNode parent, String at, String field, int fallback) {
        JsonNode node = parent.get(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
            fields.problem(at + "/" + field, "expected a whole number of at least 1, found " + Fields.describe(node));
            return fallback;
        }
        return node.asInt();
    }

    /** An IANA time zone name, reported at {@code at} with a "did you mean" when unknown. */
    private Optional<ZoneId> zoneId(String zone, String at) {
        if (!zone.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(zone)) {
            List<String> known = ZoneId.getAvailableZoneIds().stream().sorted().toList();
            fields.problem(at, "unknown time zone '" + zone + "'" + Suggestions.didYouMean(zone, known)
                    + "; use a name from the IANA time zone database, such as \"Europe/Berlin\" or \"UTC\"");
            return Optional.empty();
        }
        return Optional.of(ZoneId.of(zone));
    }

    private List<Column> columns(JsonNode node) {
        List<Column> columns = new ArrayList<>();
        if (node == null) {
            return columns; // inferred by each run from a sample of its input
        }
        if (!node.isArray() || node.isEmpty()) {
            fields.problem("/columns", "expected a non-empty array of columns, found " + fields.describe(node));
            return columns;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "/columns/" + i;
            JsonNode column = node.get(i);
            if (!fields.object(column, at, Set.of("name", "type", "nullable", "timeZone"))) {
                continue;
            }
            String name = fields.string(column, at, "name", true);
            if (name != null && name.isBlank()) {
                fields.problem(at + "/name", "a column name cannot be empty");
                name = null;
            }
            String typeText = fields.string(column, at, "type", true);
            boolean nullable = fields.bool(column, at, "nullable", true);
            if (name != null && !seen.add(name.toLowerCase(java.util.Locale.ROOT))) {
                fields.problem(at + "/name", "column '" + name + "' is declared twice (names are case-insensitive)");
            }
            ColumnType type = null;
            if (typeText != null) {
                try {
                    type = ColumnType.parse(typeText);
                } catch (IllegalArgumentException e) {
                    fields.problem(at + "/type", e.getMessage());
                }
            }
            Optional<String> zone = timeZone(column, at, type);
            if (name != null && type != null) {
                columns.add(new Column(name, type, nullable, zone));
            }
        }
        return columns;
    }

    private Optional<String> timeZone(JsonNode column, String at, ColumnType type) {
        String zone = fields.string(column, at, "timeZone", false);
        if (zone == null || type == null) {
            return Optional.empty();
        }
        if (!type.name().equals("timestamp")) {
            fields.problemAtKey(at + "/timeZone", "only a timestamp column has a time zone; remove it, or declare "
                    + "\"type\": \"timestamp\"");
            return Optional.empty();
        }
        return zoneId(zone, at + "/timeZone").map(z -> zone);
    }

    private Output output(JsonNode node, List<String> finalColumns) {
        if (node == null || !fields.object(node, "/output", Set.of("format", "compression", "partitionBy",
                "targetFileSize"))) {
            return Output.DEFAULT;
        }
        String format = fields.string(node, "/output", "format", false);
        if (format == null) {
            format = "parquet";
        } else if (!Output.FORMATS.contains(format)) {
            fields.problem("/output/format", "unknown output format '" + format + "'"
                    + Suggestions.didYouMean(format, Output.FORMATS) + "; allowed: " + String.join(", ", Output.FORMATS));
            return Output.DEFAULT;
        }
        String compression = fields.string(node, "/output", "compression", false);
        List<String> codecs = Output.CODECS.get(format);
        if (compression != null && !codecs.contains(compression)) {
            fields.problem("/output/compression", "unknown compression '" + compression + "' for " + format
                    + Suggestions.didYouMean(compression, codecs) + "; allowed: " + String.join(", ", codecs));
            return Output.DEFAULT;
        }
        List<String> partitionBy = partitionBy(node.get("partitionBy"), finalColumns);
        long targetFileBytes = Output.DEFAULT_TARGET_FILE_BYTES;
        String size = fields.string(node, "/output", "targetFileSize", false);
        if (size != null) {
            try {
                targetFileBytes = Output.parseSize(size);
            } catch (IllegalArgumentException e) {
                fields.problem("/output/targetFileSize", e.getMessage());
            }
            if (targetFileBytes < 1024) {
                fields.problem("/output/targetFileSize", "a file of " + size + " holds next to nothing; give at least 1KB");
                targetFileBytes = Output.DEFAULT_TARGET_FILE_BYTES;
            }
        }
        return new Output(format, compression == null ? Output.defaultCompression(format) : compression, partitionBy,
                targetFileBytes);
    }

    /** The columns that make partition folders: each must exist after the last step, and be named once. */
    private List<String> partitionBy(JsonNode node, List<String> finalColumns) {
        List<String> columns = new ArrayList<>();
        if (node == null) {
            return columns;
        }
        if (!node.isArray() || node.isEmpty()) {
            fields.problem("/output/partitionBy", "expected a non-empty array of column names, e.g. [\"region\"], found "
                    + Fields.describe(node));
            return columns;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = "/output/partitionBy/" + i;
            JsonNode column = node.get(i);
            if (!column.isTextual()) {
                fields.problem(at, "expected a column name, found " + Fields.describe(column));
            } else if (finalColumns != null && !finalColumns.contains(column.asText())) {
                fields.problem(at, "no column '" + column.asText() + "' after the last step"
                        + Suggestions.didYouMean(column.asText(), finalColumns) + "; available: "
                        + String.join(", ", finalColumns));
            } else if (columns.contains(column.asText())) {
                fields.problem(at, "column '" + column.asText() + "' is named twice");
            } else {
                columns.add(column.asText());
            }
        }
        return columns;
    }

    private static String hash(JsonNode root) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(CANONICAL.treeToValue(root, Object.class))
                    .getBytes(StandardCharsets.UTF_8);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a definition", e);
        }
    }
}
