package io.tributary.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tributary.definition.access.AccessCheck;
import io.tributary.definition.column.Column;
import io.tributary.definition.column.ColumnReader;
import io.tributary.definition.expectation.Expectation;
import io.tributary.definition.expectation.ExpectationReader;
import io.tributary.definition.job.JobReader;
import io.tributary.definition.output.Output;
import io.tributary.definition.output.OutputReader;
import io.tributary.definition.output.TableOutput;
import io.tributary.definition.output.Split;
import io.tributary.definition.output.SplitReader;
import io.tributary.definition.read.DefinitionLimits;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.ForbiddenCharacters;
import io.tributary.definition.read.LocatedJson;
import io.tributary.definition.read.Problem;
import io.tributary.definition.source.SourceFormat;
import io.tributary.definition.source.SourceReader;
import io.tributary.definition.step.Step;
import io.tributary.definition.step.StepReader;
import io.tributary.definition.trigger.DatasetTrigger;
import io.tributary.definition.trigger.FileDropTrigger;
import io.tributary.definition.trigger.ScheduleReader;
import io.tributary.definition.trigger.ScheduleTrigger;
import io.tributary.definition.trigger.TriggerReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the text of one definition file into a {@link PipelineDefinition}, collecting every problem
 * (with file, line, column and JSON pointer) instead of stopping at the first.
 */
public final class DefinitionReader {

    private static final Set<String> TOP =
            Set.of("$schema", "schemaVersion", "name", "description", "trigger", "schedule", "source", "columns",
                    "steps", "expectations", "split", "output", "schemaDrift", "concurrency",
                    "maxRejectedFraction", "chunkSize", "inferenceSample", "alerts", "job", "onCommit");
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
        return read(file, text, expectedName, check, processAccess());
    }

    /**
     * What this process's settings grant, read now: for reading a definition outside the app (the app reads its access
     * once at start and passes it in).
     */
    private static DefinitionAccess processAccess() {
        return DefinitionAccess.from(io.tributary.settings.Settings::get);
    }

    /**
     * Reads a definition as {@link #read(String, String, String, DefinitionCheck)} does, reporting the settings it
     * names and the containers it reads that {@code access} refuses (the overloads without it take the access this
     * process's settings grant).
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
            new AccessCheck(reader.fields, access.settings(), access.containers()).check(json.root());
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
        return read(file, bytes, expectedName, check, processAccess());
    }

    /** Reads a definition file's bytes as {@link #read(String, byte[], String, DefinitionCheck)}, under {@code access}. */
    public static DefinitionResult read(String file, byte[] bytes, String expectedName, DefinitionCheck check,
                                        DefinitionAccess access) {
        if (bytes.length > DefinitionLimits.MAX_FILE_BYTES) {
            return tooLarge(file, bytes.length + " bytes");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        try {
            return read(file, decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString(), expectedName, check,
                    access);
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

    /** The definition the document holds, each section read by its reader; null when the top is not an object. */
    private PipelineDefinition definition(String expectedName, String hash) {
        JsonNode root = fields.json().root();
        if (!fields.object(root, "", TOP)) {
            return null;
        }
        requireSchemaVersion(root);
        String name = name(root, expectedName);
        String description = fields.string(root, "", "description", false);
        JsonNode trigger = root.get("trigger");
        TriggerReader triggers = new TriggerReader(fields);
        Optional<DatasetTrigger> dataset = triggers.dataset(trigger);
        Optional<FileDropTrigger> fileDrop = TriggerReader.isDataset(trigger) ? Optional.empty()
                : triggers.fileDrop(trigger);
        Optional<ScheduleTrigger> schedule = new ScheduleReader(fields).schedule(root.get("schedule"));
        JsonNode sourceNode = root.get("source");
        SourceReader.Section source = new SourceReader(fields).read(sourceNode);
        if (TriggerReader.isDataset(trigger) && sourceNode != null) {
            triggers.checkDatasetSource(sourceNode, source.format(), schedule.isPresent());
        } else if (schedule.isPresent() && sourceNode != null && source.blob().isEmpty()
                && source.fetched().isEmpty()) {
            fields.problem("/schedule", "a scheduled pipeline needs a source to read: \"source\": {\"blob\": "
                    + "\"container/path\"}, {\"rest\": {…}} or {\"sql\": {…}}");
        }
        List<Column> columns = new ColumnReader(fields).columns(root.get("columns"));
        RunOptionsReader options = new RunOptionsReader(fields);
        String schemaDrift = options.schemaDrift(root, columns, source.format());
        checkOffsets(columns, source.format());
        // Without declared columns, only the run knows them: names are checked by the engine then.
        List<String> names = columns.isEmpty() ? null : columns.stream().map(Column::name).toList();
        List<Step> steps = new StepReader(fields).steps(root.get("steps"), names);
        List<String> finalColumns = finalColumns(names, steps);
        Optional<Split> split = new SplitReader(fields).split(root.get("split"), finalColumns);
        List<Expectation> expectations = new ExpectationReader(fields).expectations(root.get("expectations"),
                finalColumns);
        Output output = new OutputReader(fields).output(root.get("output"), finalColumns);
        checkMergeSplit(output, split);
        JobReader jobs = new JobReader(fields);
        int concurrency = options.concurrency(root.get("concurrency"), source.incremental().isPresent(),
                schedule.isPresent());
        return new PipelineDefinition(name, description == null ? "" : description, fileDrop, schedule, dataset,
                source.blob(), source.fetched(), source.incremental(), source.format(), columns, schemaDrift, steps,
                expectations, split, output, concurrency, options.maxRejectedFraction(root.get("maxRejectedFraction")),
                options.chunkSize(root), options.inferenceSample(root),
                new AlertsReader(fields).alerts(root.get("alerts")), jobs.transform(root.get("job")),
                jobs.onCommit(root.get("onCommit")), hash, text);
    }

    /**
     * A merged table's split must follow from its keys alone, so that an update never moves a key between train,
     * validation and test.
     */
    private void checkMergeSplit(Output output, Optional<Split> split) {
        output.tableOutput().filter(t -> t.mode() == TableOutput.Mode.MERGE).ifPresent(table -> split.ifPresent(sp -> {
            List<String> outside = sp.keys().stream().filter(k -> !table.keys().contains(k)).toList();
            if (!outside.isEmpty()) {
                fields.problem("/split/keys", "a merged table's split must hash its keys only, so that an update never "
                        + "moves a key between splits; " + String.join(", ", outside) + " is not among "
                        + "output.table.keys " + table.keys() + " (set split.keys to " + table.keys() + ")");
            }
        }));
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

    /** The pipeline's name, which must be valid and, when {@code expectedName} is given, that of its file. */
    private String name(JsonNode root, String expectedName) {
        String name = fields.string(root, "", "name", true);
        if (name != null && !PipelineName.isValid(name)) {
            fields.problem("/name", "'" + name + "' is not a valid pipeline name: use " + PipelineName.RULE
                    + " (it becomes a blob folder and part of run ids)");
        } else if (name != null && expectedName != null && !name.equals(expectedName)) {
            fields.problem("/name", "the name '" + name + "' differs from the file name '" + expectedName
                    + ".json'; rename one so they match");
        }
        return name;
    }

    /** A timestamp format that reads each value's offset makes the values instants: no column may name a zone. */
    private void checkOffsets(List<Column> columns, SourceFormat source) {
        if (source.timestampFormat().filter(f -> f.contains("%z")).isPresent()) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).timeZone().isPresent()) {
                    fields.problemAtKey("/columns/" + i + "/timeZone", "the timestampFormat reads each value's offset "
                            + "(%z), so values are instants already; remove the timeZone");
                }
            }
        }
    }

    /** The column names after the last step, or null when only the engine can tell. */
    private static List<String> finalColumns(List<String> names, List<Step> steps) {
        Optional<List<String>> after = Optional.ofNullable(names);
        for (Step step : steps) {
            after = after.flatMap(step::outputColumns);
        }
        return after.orElse(null);
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
