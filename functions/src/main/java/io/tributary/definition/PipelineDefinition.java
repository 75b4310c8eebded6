package io.tributary.definition;

import io.tributary.definition.column.Column;
import io.tributary.definition.expectation.Expectation;
import io.tributary.definition.job.Job;
import io.tributary.definition.output.Output;
import io.tributary.definition.output.Split;
import io.tributary.definition.source.FetchedSource;
import io.tributary.definition.source.Incremental;
import io.tributary.definition.source.RestSource;
import io.tributary.definition.source.SourceFormat;
import io.tributary.definition.source.SqlSource;
import io.tributary.definition.sql.SqlDialect;
import io.tributary.definition.sql.SqlQueryText;
import io.tributary.definition.step.LookupStep;
import io.tributary.definition.step.Step;
import io.tributary.definition.trigger.DatasetTrigger;
import io.tributary.definition.trigger.FileDropTrigger;
import io.tributary.definition.trigger.ScheduleTrigger;
import io.tributary.settings.SettingReference;
import java.util.List;
import java.util.Optional;

/**
 * A validated pipeline definition: where its data comes from, how each row is typed and
 * transformed, and how the dataset is written.
 *
 * @param name        the pipeline's name; also the dataset's folder under {@code training/}
 * @param description free text for people
 * @param fileDrop    the landing path that starts runs, if any
 * @param schedule    the schedule that starts runs, if any
 * @param dataset     the upstream pipeline whose committed datasets start runs, if any
 * @param sourceBlob  {@code container/name} of a blob that scheduled and manual runs read, if any
 * @param fetched     the API or database that extract fetches the source from, if the source is not a file
 * @param incremental how a run reads only what is new since the last committed run, if it does
 * @param source      how the source is written (JSON Lines for a fetched source)
 * @param columns     the source's columns in file order, with types; empty when each run infers them
 * @param schemaDrift what a run does with columns the source has beyond {@code columns}: {@code fail},
 *                    {@code ignore} (they are dropped) or {@code evolve} (they are added, nullable)
 * @param steps       the transformations, applied in order
 * @param expectations the data-quality checks on the rows after every step
 * @param split       how rows are assigned to train/validation/test, if they are
 * @param output      the format and compression of the dataset's files
 * @param concurrency how many runs of the pipeline may be active at once; further runs wait their turn
 * @param maxRejectedFraction the most of a run's rows read that may be rejected (0 to 1); a run with more fails
 *                    without committing; empty for no limit
 * @param chunkSize   about how many bytes of the source one transform invocation reads: a large CSV or JSON Lines
 *                    source is cut into chunks of this size at record boundaries, transformed side by side
 * @param inferenceSample how many bytes at the start of a text source a run reads to infer the columns it does not
 *                    declare (its whole input when smaller)
 * @param alerts      the alerts the pipeline's runs raise beyond a failed run and a poisoned message
 * @param job         the pipeline's transform as a job on a distributed engine, if it hands it to one: its output
 *                    then goes through the steps, expectations, split and commit
 * @param onCommit    the jobs a committed run starts on distributed engines, in order (a training job, say)
 * @param hash        SHA-256 of the canonical form of the definition, recorded in every manifest
 * @param text        the definition as written, which each run keeps as its snapshot
 */
public record PipelineDefinition(
        String name,
        String description,
        Optional<FileDropTrigger> fileDrop,
        Optional<ScheduleTrigger> schedule,
        Optional<DatasetTrigger> dataset,
        Optional<String> sourceBlob,
        Optional<FetchedSource> fetched,
        Optional<Incremental> incremental,
        SourceFormat source,
        List<Column> columns,
        String schemaDrift,
        List<Step> steps,
        List<Expectation> expectations,
        Optional<Split> split,
        Output output,
        int concurrency,
        Optional<Double> maxRejectedFraction,
        long chunkSize,
        long inferenceSample,
        AlertRules alerts,
        Optional<Job> job,
        List<Job> onCommit,
        String hash,
        String text) {

    public static final int SCHEMA_VERSION = 1;
    /** One run at a time: an incremental load must read where the previous run stopped. */
    /** The concurrency of a pipeline that fetches incrementally or runs on a schedule, unless it says otherwise. */
    public static final int DEFAULT_CONCURRENCY = 1;
    /** The concurrency of a file-drop pipeline unless it says otherwise: each dropped file runs at once. */
    public static final int UNLIMITED = Integer.MAX_VALUE;
    /**
     * The default {@link #chunkSize}: 64 MB, which one invocation transforms in a few seconds (about 25 MB/s on one
     * core), far below the Consumption plan's 10-minute limit, while a chunk's fixed costs (starting the engine, one
     * part per split) stay small and a file of a few hundred MB already keeps several cores busy.
     */
    public static final long DEFAULT_CHUNK_BYTES = 64L << 20;
    /** The default {@link #inferenceSample}: 4 MiB, read in well under a second. */
    public static final long DEFAULT_INFERENCE_SAMPLE = 4L << 20;
    /** The largest {@link #inferenceSample}: the sample is read whole by one invocation, before any chunk runs. */
    public static final long MAX_INFERENCE_SAMPLE = 1L << 30;
    public static final List<String> DRIFT_POLICIES = List.of("fail", "ignore", "evolve");

    public PipelineDefinition {
        columns = List.copyOf(columns);
        steps = List.copyOf(steps);
        expectations = List.copyOf(expectations);
        onCommit = List.copyOf(onCommit);
    }

    /**
     * The run parameters the definition refers to, by name, sorted: {@code {name}} in a REST source's url and header
     * values, {@code :name} in a SQL source's query, and the {@code {name}} captures of its landing path. A run given
     * any other parameter would ignore it.
     */
    public java.util.SortedSet<String> parameterNames() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        fileDrop.ifPresent(t -> names.addAll(t.captureNames()));
        fetched.ifPresent(source -> {
            if (source instanceof RestSource rest) {
                List<String> templates = new java.util.ArrayList<>(rest.headers().values());
                templates.add(rest.url());
                for (String template : templates) {
                    java.util.regex.Matcher m = RestSource.PLACEHOLDER.matcher(template);
                    while (m.find()) {
                        if (m.group(2) != null) {
                            names.add(m.group(2));
                        }
                    }
                }
            } else if (source instanceof SqlSource sql) {
                names.addAll(SqlQueryText.parse(sql.query(), SqlDialect.of(sql.url()).orElse(SqlDialect.POSTGRES))
                        .parameters());
            }
        });
        return names;
    }

    /**
     * The app settings a run resolves, by name, in order of mention: {@code %NAME%} in a REST source's url and header
     * values, a SQL source's url, user and password, a schedule's cron, and every text of a job's work. Elsewhere {@code %} is only text (a
     * {@code timestampFormat} of {@code "%Y-%m-%d"} names no setting).
     */
    public List<String> settingNames() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        fetched.ifPresent(source -> {
            if (source instanceof RestSource rest) {
                List<String> templates = new java.util.ArrayList<>();
                templates.add(rest.url());
                templates.addAll(rest.headers().values());
                for (String template : templates) {
                    java.util.regex.Matcher m = RestSource.PLACEHOLDER.matcher(template);
                    while (m.find()) {
                        if (m.group(1) != null) {
                            names.add(m.group(1));
                        }
                    }
                }
            } else if (source instanceof SqlSource sql) {
                names.addAll(SettingReference.names(sql.url()));
                sql.user().ifPresent(u -> names.addAll(SettingReference.names(u)));
                sql.password().ifPresent(p -> names.addAll(SettingReference.names(p)));
            }
        });
        schedule.ifPresent(s -> names.addAll(SettingReference.names(s.cron())));
        List<Job> jobs = new java.util.ArrayList<>();
        job.ifPresent(jobs::add);
        jobs.addAll(onCommit);
        for (Job each : jobs) {
            each.work().resolve(text -> {
                names.addAll(SettingReference.names(text));
                return text;
            });
        }
        return List.copyOf(names);
    }

    /** This definition reading its source as {@code format} says: its decoded form, say. */
    public PipelineDefinition withSource(SourceFormat format) {
        return new PipelineDefinition(name, description, fileDrop, schedule, dataset, sourceBlob, fetched, incremental,
                format, columns, schemaDrift, steps, expectations, split, output, concurrency, maxRejectedFraction,
                chunkSize, inferenceSample, alerts, job, onCommit, hash, text);
    }

    /**
     * The definition the transform runs: this one, or, when the transform is a job, this one reading the job's output
     * files as they are written ({@link Job#outputFormat()}).
     */
    public PipelineDefinition transformInput() {
        return job.filter(Job::isTransform).map(j -> withSource(source.jobOutput(j.outputFormat()))).orElse(this);
    }

    /** The {@code lookup} steps, in order: each names a reference blob that every run reads. */
    public List<LookupStep> lookups() {
        return steps.stream().filter(LookupStep.class::isInstance).map(LookupStep.class::cast).toList();
    }

    /**
     * The names of the columns the dataset will have, after every step, or empty when only the engine can tell
     * (after a {@code sql} step, or when the columns are inferred).
     */
    public Optional<List<String>> outputColumns() {
        Optional<List<String>> current = columns.isEmpty() ? Optional.empty()
                : Optional.of(columns.stream().map(Column::name).toList());
        for (Step step : steps) {
            current = current.flatMap(step::outputColumns);
        }
        return current;
    }
}
