package io.tributary.engine;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.step.LookupStep;
import io.tributary.definition.step.Step;
import io.tributary.run.OutputColumn;
import io.tributary.run.SourceSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Applies a pipeline definition to one chunk of its source on an embedded DuckDB: decode (un-gzip, transcode, pick
 * out JSON records: {@link SourceDecoder}), parse with the run's
 * column types (records that do not parse are rejected with line and reason), run the steps, check the
 * expectations, write the parts.
 *
 * <p>A definition whose SQL breaks {@link SqlRestrictions} is refused before anything runs. Each call opens its
 * own {@link Sandbox}: an in-memory database limited to {@link EngineLimits}, spilling to
 * and reading from nothing but {@code workDir}, with its configuration locked before any data is read.
 */
public final class ChunkTransformer {

    /** The names of the columns the engine adds (flags, split) start with this; the written rows carry none. */
    static final String INTERNAL = "__tributary_";
    /**
     * The column that carries each row's record through the steps that keep rows whole (all but {@code select},
     * {@code aggregate} and {@code sql}), so a row an expectation drops still names its line: the record's number as
     * its parser counts them, and, in a key bucket's rows, its line in the source.
     */
    static final String ROW = INTERNAL + "row";

    /** Whether rows carry {@link #ROW}: only when an expectation may drop them, the one use of it after parsing. */
    static boolean carriesRows(PipelineDefinition definition) {
        return definition.expectations().stream().anyMatch(e -> e.onFailure().equals("drop"));
    }

    private static final String CHECKED = "checked";
    private static final String ORDER = INTERNAL + "order";

    private final EngineLimits limits;
    private final Semaphore slots;

    /** An engine that runs one invocation at a time within {@code limits}. */
    public ChunkTransformer(EngineLimits limits) {
        this(limits, 1);
    }

    /**
     * An engine for a process: up to {@code slots} invocations run at once (a further one waits for a slot), and
     * {@code limits}' memory is shared among them, so the engine's memory stays within it however many invocations
     * the host runs.
     */
    public ChunkTransformer(EngineLimits limits, int slots) {
        this.limits = limits.sharedBy(slots);
        this.slots = new Semaphore(slots, true);
    }

    /**
     * Transforms {@code input} (which must lie inside {@code workDir}) into parts under {@code workDir/parts/}
     * and {@code workDir/rejects.jsonl}, reading the columns the definition declares.
     *
     * @throws TransformFailedException when a step cannot run on this data
     */
    public ChunkOutput transform(PipelineDefinition definition, Path input, Path workDir) {
        return transform(definition, SourceSchema.declared(definition), input, Map.of(), workDir);
    }

    /**
     * Transforms {@code input} as {@link #transform(PipelineDefinition, Path, Path)} does, reading the run's
     * columns {@code schema}, and joining each {@code lookup} step's reference from {@code references} (by
     * {@link LookupStep#table()}; each file inside {@code workDir}).
     */
    public ChunkOutput transform(PipelineDefinition definition, SourceSchema schema, Path input,
                                 Map<String, Path> references, Path workDir) {
        return transform(definition, schema, input, 0, references, workDir);
    }

    /**
     * Transforms {@code input}, one chunk of a source, as {@link #transform(PipelineDefinition, SourceSchema, Path,
     * Map, Path)} does; a rejected record's line is its line in the chunk plus {@code lineOffset}.
     */
    public ChunkOutput transform(PipelineDefinition definition, SourceSchema schema, Path input, long lineOffset,
                                 Map<String, Path> references, Path workDir) {
        return inSlot(workDir, () -> transformNow(definition, schema, input, lineOffset, references, workDir));
    }

    private ChunkOutput transformNow(PipelineDefinition definition, SourceSchema schema, Path input, long lineOffset,
                                     Map<String, Path> references, Path workDir) {
        SqlRestrictions.enforce(definition);
        Path work = inside(input, workDir);
        Path source = SourceDecoder.decode(definition.source(), input.toAbsolutePath().normalize(), work,
                limits);
        try (Connection db = Sandbox.open(limits, work)) {
            SourceParse parse = SourceParse.of(definition, schema, limits);
            parse.check(db, source);
            parse.load(db, source);
            return finish(db, definition, parse, 0, references, work, lineOffset);
        } catch (SQLException e) {
            throw new IllegalStateException("the engine failed: " + firstLine(e), e);
        }
    }

    /**
     * The first half of a chunk's work when its run routes rows by key ({@link KeyRouting}): parses {@code input},
     * runs the steps before {@link KeyRouting#splitAt}, and writes the rows to one Parquet file per key bucket under
     * {@code workDir/routed/}, and the records that do not parse to {@code workDir/rejects.jsonl}.
     */
    public RoutedChunk route(PipelineDefinition definition, SourceSchema schema, Path input, long lineOffset,
                             Map<String, Path> references, KeyRouting routing, int buckets, Path workDir) {
        return inSlot(workDir, () -> routeNow(definition, schema, input, lineOffset, references, routing, buckets, workDir));
    }

    private RoutedChunk routeNow(PipelineDefinition definition, SourceSchema schema, Path input, long lineOffset,
                                 Map<String, Path> references, KeyRouting routing, int buckets, Path workDir) {
        SqlRestrictions.enforce(definition);
        Path work = inside(input, workDir);
        Path source = SourceDecoder.decode(definition.source(), input.toAbsolutePath().normalize(), work,
                limits);
        Path rejects = work.resolve("rejects.jsonl");
        try (Connection db = Sandbox.open(limits, work)) {
            SourceParse parse = SourceParse.of(definition, schema, limits);
            parse.check(db, source);
            parse.load(db, source);
            loadLookups(db, definition, 0, routing.splitAt(), references);
            String query = StepChain.query(definition.steps(), 0, routing.splitAt());
            Map<String, String> columns = onThisData(() -> {
                Map<String, String> found = StepChain.types(db, query);
                execute(db, "CREATE TEMP TABLE " + CHECKED + " AS " + parse.reading(query));
                return found;
            });
            parse.settle(db, CHECKED);
            long rowsIn = parse.rowsIn(db);
            parse.dropParsed(db);
            // Rows that carry their record (an expectation may drop them in their bucket) carry their source line.
            String rows = columns.containsKey(ROW) ? parse.withSourceLines(db, CHECKED, lineOffset) : CHECKED;
            List<RoutedChunk.Bucket> routed = RowRouter.write(db, rows, routing, buckets, work.resolve("routed"));
            parse.writeRejects(db, rejects, Optional.empty(), lineOffset);
            return new RoutedChunk(rowsIn, parse.rowsRejected(db), routed, rejects, columns);
        } catch (SQLException e) {
            throw new IllegalStateException("the engine failed: " + firstLine(e), e);
        }
    }

    /**
     * The second half of the work of a run that routes rows by key: runs the steps from {@link KeyRouting#splitAt}
     * on one key bucket's rows ({@code routed}, Parquet files inside {@code workDir} that chunks' {@link #route}
     * wrote, with the {@code columns} it reported), then checks the expectations and writes the parts.
     */
    public ChunkOutput combine(PipelineDefinition definition, KeyRouting routing, Map<String, String> columns,
                               List<Path> routed, Map<String, Path> references, Path workDir) {
        return inSlot(workDir, () -> combineNow(definition, routing, columns, routed, references, workDir));
    }

    private ChunkOutput combineNow(PipelineDefinition definition, KeyRouting routing, Map<String, String> columns,
                                   List<Path> routed, Map<String, Path> references, Path workDir) {
        SqlRestrictions.enforce(definition);
        Path work = workDir.toAbsolutePath().normalize();
        for (Path file : routed) {
            inside(file, work);
        }
        try (Connection db = Sandbox.open(limits, work)) {
            RoutedRows rows = new RoutedRows(columns, routed);
            rows.load(db, null);
            return finish(db, definition, rows, routing.splitAt(), references, work, 0);
        } catch (SQLException e) {
            throw new IllegalStateException("the engine failed: " + firstLine(e), e);
        }
    }

    /** Runs {@code work} once a slot is free; what it throws does not name {@code workDir} ({@link WorkFolderText}). */
    private <T> T inSlot(Path workDir, java.util.function.Supplier<T> work) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the engine", e);
        }
        try {
            return work.get();
        } catch (RuntimeException e) {
            // Whichever step hit it, a full spill says so rather than what the step was doing.
            RuntimeException told = Sandbox.spillLimitReached(e, limits).map(RuntimeException.class::cast).orElse(e);
            throw WorkFolderText.scrub(told, workDir);
        } finally {
            slots.release();
        }
    }

    /** {@code workDir}, absolute; refuses an {@code input} outside it. */
    private static Path inside(Path input, Path workDir) {
        Path work = workDir.toAbsolutePath().normalize();
        Path source = input.toAbsolutePath().normalize();
        if (!source.startsWith(work)) {
            throw new IllegalArgumentException(source + " is outside the working directory " + work);
        }
        return work;
    }

    /**
     * Runs the steps from step {@code from} on the rows {@code parse} loaded as {@code parsed}, checks the
     * expectations, and writes the parts and the rejects.
     */
    private ChunkOutput finish(Connection db, PipelineDefinition definition, SourceParse parse, int from,
                               Map<String, Path> references, Path work, long lineOffset) throws SQLException {
        Path rejects = work.resolve("rejects.jsonl");
        List<Step> steps = definition.steps();
        loadLookups(db, definition, from, steps.size(), references);
        String query = StepChain.query(steps, from, steps.size());
        ExpectationRun expectations = new ExpectationRun(definition.expectations());
        PartWriter writer = new PartWriter(db, work, definition);
        Map<String, String> types = onThisData(() -> StepChain.types(db, query));
        List<OutputColumn> columns = onThisData(() -> {
            List<OutputColumn> output = OutputTypes.columns(types).stream()
                    .filter(c -> !c.name().startsWith(INTERNAL)).toList();
            writer.checkColumns(output.stream().map(OutputColumn::name).toList());
            check(db, parse, OutputTypes.narrow(query, types), expectations);
            return output;
        });
        parse.settle(db, CHECKED);
        long rowsIn = parse.rowsIn(db);
        parse.dropParsed(db);
        String kept = expectations.judge(db, CHECKED);
        List<ChunkOutput.Part> parts = writer.write(kept);
        parse.writeRejects(db, rejects, expectations.droppedRecords(CHECKED, types.containsKey(ROW)), lineOffset);
        long written = parts.stream().mapToLong(ChunkOutput.Part::rows).sum();
        return new ChunkOutput(rowsIn, written, parse.rowsRejected(db) + expectations.rowsDropped(), parts,
                rejects, columns, expectations.results(),
                parts.isEmpty() ? List.of() : Statistics.of(db, kept, columns));
    }

    /** Loads the reference of each {@code lookup} among steps {@code [from, to)}, typed as the rows reaching it. */
    private static void loadLookups(Connection db, PipelineDefinition definition, int from, int to,
                                    Map<String, Path> references) throws SQLException {
        List<Step> steps = definition.steps();
        for (int i = from; i < to; i++) {
            if (steps.get(i) instanceof LookupStep lookup) {
                Path file = references.get(lookup.table());
                if (file == null) {
                    throw new IllegalArgumentException("no file for the lookup reference " + lookup.from());
                }
                LookupTables.load(db, lookup, file, StepChain.types(db, StepChain.query(steps, from, i)));
            }
        }
    }

    /**
     * Runs the steps once, keeping their rows in the table {@link #CHECKED} with the expectations' flags: counting,
     * writing and summarizing then scan it instead of running the steps again. The same statement reads the
     * source, so the parsed rows are never kept on their own.
     */
    private static void check(Connection db, SourceParse parse, String query, ExpectationRun expectations)
            throws SQLException {
        List<String> flags = expectations.flagColumns();
        String checked = "SELECT *" + (flags.isEmpty() ? "" : ", " + String.join(", ", flags)) + " FROM (" + query + ")";
        if (expectations.flagsSpanRows()) {
            // A flag counted over a partition of the rows (a window) would leave them in the partitions' order:
            // they are put back in the order the steps gave.
            checked = "SELECT * EXCLUDE (" + ORDER + ") FROM (SELECT *" + (flags.isEmpty() ? "" : ", "
                    + String.join(", ", flags)) + " FROM (SELECT *, row_number() OVER () AS " + ORDER + " FROM ("
                    + query + "))) ORDER BY " + ORDER;
        }
        execute(db, "CREATE TEMP TABLE " + CHECKED + " AS " + parse.reading(checked));
    }

    /** Work with the engine that may fail on the data in hand. */
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work}, which runs steps over the source: a failure is a step failing on this data (the run fails,
     * retrying cannot help), unless the source could not be read at all.
     */
    private static <T> T onThisData(SqlWork<T> work) throws SQLException {
        try {
            return work.run();
        } catch (SQLException e) {
            if (isReadError(e)) {
                throw e;
            }
            throw new TransformFailedException("a step failed on this data: " + firstLine(e), e);
        }
    }

    /** Whether the source could not be read at all (records that do not parse are rejected, not errors). */
    private static boolean isReadError(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("CSV Error") || message.contains("IO Error");
    }


    private static void execute(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    static long count(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * {@code message} without the path of {@code file}, which DuckDB names as {@code 'path'} or {@code in file "path"}:
     * a private work file means nothing to whoever reads a run's status.
     */
    static String withoutPath(String message, Path file) {
        String path = java.util.regex.Pattern.quote(file.toString());
        String without = message.replaceAll("( in file)? ?(['\"])" + path + "\\2", "").replace(file.toString(),
                "the source");
        return without.endsWith(".") ? without.substring(0, without.length() - 1) : without;
    }

    static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage()).strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
