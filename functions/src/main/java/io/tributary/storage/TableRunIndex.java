package io.tributary.storage;

import io.tributary.run.Stage;
import io.tributary.run.StageStatus;
import io.tributary.run.RunState;
import io.tributary.run.RunId;
import com.azure.core.http.rest.PagedIterable;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.RunRecord;
import io.tributary.run.StageReport;
import io.tributary.port.RunIndex;
import io.tributary.port.RunSummary;
import io.tributary.port.StageRow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run history on Azure Table storage.
 *
 * <p>{@link RunLayout#RUNS_TABLE}: each run has two rows, one in partition {@code {pipeline}} and one in partition
 * {@link RunLayout#ALL_RUNS}, both with RowKey {@link RunLayout#historyKey(String)}: the run id with its time's digits
 * complemented, so a partition lists newest first and a time range is a RowKey range. "Runs of pipeline P between T1
 * and T2 with status S" reads one partition's key range; across pipelines, the {@code ~all} partition's.
 * Properties: RunId, Pipeline, Trigger, Status, StartedAt, EndedAt, RowsIn, RowsOut, RowsRejected, Bytes, Error,
 * FailedStage, Source, DefinitionHash, Parameters (JSON), RerunOf.
 *
 * <p>{@link RunLayout#STAGES_TABLE}: PartitionKey the run id, RowKey {@link RunLayout#stageKey}; properties Stage,
 * Chunk, Status, StartedAt, FinishedAt, RowsIn, RowsOut, RowsRejected, Bytes, Attempts, Error.
 */
public final class TableRunIndex implements RunIndex {

    /** Table storage keeps at most 32K characters in a string property; errors are cut well short of that. */
    private static final int MAX_TEXT = 8_000;
    /** The property that carries an entity's ETag, for an update made only if the row is unchanged. */
    private static final String ETAG = "odata.etag";
    /** How often a stage row is read and written again when another writer changed it in between. */
    private static final int MAX_ROUNDS = 20;

    private final TableClient runs;
    private final TableClient stages;

    public TableRunIndex(StorageClients clients) {
        this(clients.table(RunLayout.RUNS_TABLE), clients.table(RunLayout.STAGES_TABLE));
    }

    TableRunIndex(TableClient runs, TableClient stages) {
        this.runs = runs;
        this.stages = stages;
    }

    @Override
    public void started(RunRecord record) {
        for (String partition : partitions(record.pipeline())) {
            TableEntity entity = recordEntity(partition, record).addProperty("Status", RunState.RUNNING.text());
            upsert(runs, entity, TableEntityUpdateMode.REPLACE);
        }
    }

    /** The row of a run running again, with the time it waited for this rerun added to what it waited before. */
    @Override
    public void resumed(RunRecord record, java.time.Duration waited) {
        for (String partition : partitions(record.pipeline())) {
            long before = existing(runs, partition, RunLayout.historyKey(record.runId()))
                    .map(e -> boxed(e, "WaitedMs")).orElse(0L);
            TableEntity entity = recordEntity(partition, record).addProperty("Status", RunState.RUNNING.text())
                    .addProperty("WaitedMs", before + Math.max(0, waited.toMillis()));
            upsert(runs, entity, TableEntityUpdateMode.REPLACE);
        }
    }

    @Override
    public void ended(RunRecord record, RunOutcome outcome, Totals totals) {
        for (String partition : partitions(record.pipeline())) {
            TableEntity entity = recordEntity(partition, record)
                    .addProperty("Status", outcome.status().text())
                    .addProperty("EndedAt", time(outcome.at()));
            if (outcome.status() == RunState.FAILED) {
                put(entity, "Error", cut(outcome.error()));
                put(entity, "FailedStage", outcome.stage() == null ? null : outcome.place());
            }
            if (totals != null) {
                entity.addProperty("RowsIn", totals.rowsIn()).addProperty("RowsOut", totals.rowsOut())
                        .addProperty("RowsRejected", totals.rowsRejected()).addProperty("Bytes", totals.bytes());
            }
            upsert(runs, entity, TableEntityUpdateMode.MERGE);
        }
    }

    /**
     * Writes the row of a stage, chunk or key bucket. The attempt count is read and written back under the row's
     * ETag (or created only if absent), so two deliveries of one piece at the same moment both count: the one that
     * loses reads the row again.
     */
    @Override
    public void stage(RunId runId, StageReport report, Long bytes) {
        String key = RunLayout.stageKey(report.stage(), report.chunk());
        for (int round = 1; ; round++) {
            Optional<TableEntity> current = existing(stages, runId.text(), key);
            int before = current.map(e -> e.getProperty("Attempts")).map(a -> ((Number) a).intValue()).orElse(0);
            // A "running" report starts an attempt; the reports that end it count none.
            int attempts = report.status() == StageStatus.RUNNING || before == 0 ? before + 1 : before;
            TableEntity entity = new TableEntity(runId.text(), key)
                    .addProperty("Stage", report.stage().text())
                    .addProperty("Chunk", report.chunk())
                    .addProperty("Status", report.status().text())
                    .addProperty("StartedAt", time(report.startedAt()))
                    .addProperty("RowsIn", report.rowsIn())
                    .addProperty("RowsOut", report.rowsOut())
                    .addProperty("RowsRejected", report.rowsRejected())
                    .addProperty("Attempts", attempts);
            put(entity, "FinishedAt", report.finishedAt() == null ? null : time(report.finishedAt()));
            put(entity, "Bytes", bytes);
            put(entity, "Error", cut(report.error()));
            try {
                if (current.isPresent()) {
                    entity.addProperty(ETAG, current.get().getETag());
                    stages.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null,
                            com.azure.core.util.Context.NONE);
                } else {
                    stages.createEntity(entity);
                }
                return;
            } catch (TableServiceException e) {
                int status = e.getResponse().getStatusCode();
                if (status != 412 && status != 409 || round >= MAX_ROUNDS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public List<RunSummary> runs(Filter filter) {
        List<String> clauses = new ArrayList<>();
        clauses.add("PartitionKey eq " + quote(filter.pipeline() == null ? RunLayout.ALL_RUNS : filter.pipeline()));
        if (filter.until() != null) {
            clauses.add("RowKey ge " + quote(RunLayout.historyKey(filter.until())));
        }
        if (filter.since() != null) {
            clauses.add("RowKey lt " + quote(RunLayout.historyKey(filter.since()) + "~"));
        }
        if (filter.status() != null) {
            clauses.add("Status eq " + quote(filter.status().text()));
        }
        List<RunSummary> found = new ArrayList<>();
        for (TableEntity entity : list(runs, String.join(" and ", clauses), Math.min(1000, filter.limit()))) {
            if (found.size() >= filter.limit()) {
                break;
            }
            found.add(summary(entity));
        }
        return found;
    }

    @Override
    public Optional<RunSummary> run(String pipeline, RunId runId) {
        return existing(runs, pipeline, RunLayout.historyKey(runId)).map(TableRunIndex::summary);
    }

    @Override
    public List<StageRow> stages(RunId runId) {
        List<StageRow> rows = new ArrayList<>();
        for (TableEntity e : list(stages, "PartitionKey eq " + quote(runId.text()), 1000)) {
            rows.add(new StageRow(Stage.parse(text(e, "Stage")), number(e, "Chunk").intValue(), StageStatus.parse(text(e, "Status")),
                    instant(e, "StartedAt"), instant(e, "FinishedAt"), number(e, "RowsIn").longValue(),
                    number(e, "RowsOut").longValue(), number(e, "RowsRejected").longValue(), boxed(e, "Bytes"),
                    number(e, "Attempts").intValue(), text(e, "Error")));
        }
        return rows;
    }

    @Override
    public int deleteBefore(Instant cutoff) {
        // Older runs have larger keys: every key past the cutoff second's prefix.
        String filter = "RowKey gt " + quote(RunLayout.historyKey(cutoff) + "~");
        int removed = 0;
        for (TableEntity entity : list(runs, filter, 1000)) {
            if (entity.getPartitionKey().equals(RunLayout.ALL_RUNS)) {
                RunId runId = RunLayout.runIdOfHistoryKey(entity.getRowKey());
                for (TableEntity stage : list(stages, "PartitionKey eq " + quote(runId.text()), 1000)) {
                    deleteQuietly(stages, stage);
                }
                removed++;
            }
            deleteQuietly(runs, entity);
        }
        return removed;
    }

    private static void upsert(TableClient table, TableEntity entity, TableEntityUpdateMode mode) {
        table.upsertEntityWithResponse(entity, mode, null, com.azure.core.util.Context.NONE);
    }

    private static void deleteQuietly(TableClient table, TableEntity entity) {
        try {
            table.deleteEntity(entity.getPartitionKey(), entity.getRowKey());
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() != 404) {
                throw e;
            }
        }
    }

    private static List<String> partitions(String pipeline) {
        return List.of(pipeline, RunLayout.ALL_RUNS);
    }

    private static TableEntity recordEntity(String partition, RunRecord record) {
        TableEntity entity = new TableEntity(partition, RunLayout.historyKey(record.runId()))
                .addProperty("RunId", record.runId().text())
                .addProperty("Pipeline", record.pipeline())
                .addProperty("Trigger", record.trigger())
                .addProperty("StartedAt", time(record.startedAt()))
                .addProperty("Parameters", Json.compact(record.parameters()));
        put(entity, "Source", record.source() == null ? null
                : record.source().container() + "/" + record.source().name());
        put(entity, "DefinitionHash", record.definitionHash());
        put(entity, "RerunOf", record.rerunOf() == null ? null : record.rerunOf().text());
        return entity;
    }

    @SuppressWarnings("unchecked")
    private static RunSummary summary(TableEntity e) {
        String parameters = text(e, "Parameters");
        Map<String, String> values = parameters == null ? Map.of()
                : Json.read(parameters.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.class);
        return new RunSummary(RunId.parse(text(e, "RunId")), text(e, "Pipeline"), text(e, "Trigger"),
                RunState.parse(text(e, "Status")),
                instant(e, "StartedAt"), instant(e, "EndedAt"), boxed(e, "RowsIn"), boxed(e, "RowsOut"),
                boxed(e, "RowsRejected"), boxed(e, "Bytes"), text(e, "Error"), text(e, "FailedStage"),
                text(e, "Source"), text(e, "DefinitionHash"), values, runIdOrNull(text(e, "RerunOf")),
                boxed(e, "WaitedMs"));
    }

    private static PagedIterable<TableEntity> list(TableClient table, String filter, int pageSize) {
        return table.listEntities(new ListEntitiesOptions().setFilter(filter).setTop(pageSize), null, null);
    }

    private static RunId runIdOrNull(String text) {
        return text == null ? null : RunId.parse(text);
    }

    private static Optional<TableEntity> existing(TableClient table, String partition, String key) {
        try {
            return Optional.of(table.getEntity(partition, key));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static void put(TableEntity entity, String name, Object value) {
        if (value != null) {
            entity.addProperty(name, value);
        }
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static OffsetDateTime time(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static String text(TableEntity e, String name) {
        Object value = e.getProperty(name);
        return value == null ? null : value.toString();
    }

    private static Number number(TableEntity e, String name) {
        Object value = e.getProperty(name);
        return value instanceof Number n ? n : value == null ? 0 : Long.parseLong(value.toString());
    }

    private static Long boxed(TableEntity e, String name) {
        Object value = e.getProperty(name);
        return value == null ? null : value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
    }

    private static Instant instant(TableEntity e, String name) {
        Object value = e.getProperty(name);
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof java.util.Date d) {
            return d.toInstant();
        }
        return OffsetDateTime.parse(value.toString()).toInstant();
    }
}
