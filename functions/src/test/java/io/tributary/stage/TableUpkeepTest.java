package io.tributary.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.PipelineCatalog;
import io.tributary.engine.EngineLimits;
import io.tributary.run.ExtractMessage;
import io.tributary.run.RunLayout;
import io.tributary.table.CatalogVacuum;
import io.tributary.table.RunTables;
import io.tributary.table.Snapshot;
import io.tributary.table.TableExport;
import io.tributary.table.TableHistory;
import io.tributary.table.TableLog;
import io.tributary.table.TableVacuum;
import io.tributary.testing.TableRows;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merged table's upkeep through the real stages and engine: its history names each merge's run and the keys it
 * inserted, updated and deleted; the daily vacuum, a week on, deletes the files the merge rewrote, after which the
 * first version can no longer be exported while the newest still reads.
 */
class TableUpkeepTest {

    private static final String CONTACTS = """
            {"schemaVersion": 1, "name": "contacts", "trigger": {"type": "fileDrop", "path": "contacts/*.csv"},
             "source": {"format": "csv"},
             "columns": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"},
                         {"name": "updated", "type": "long"}, {"name": "deleted", "type": "boolean"}],
             "output": {"table": {"mode": "merge", "keys": ["id"], "orderBy": "updated", "deleteWhen": "deleted",
                                  "retention": "7d"}}}""";

    @TempDir
    Path work;

    private TableLog log(InMemoryStages stages) {
        return RunTables.standard(stages.blobs, stages.clock, work.resolve("t"), EngineLimits.DEFAULT).log("contacts");
    }

    @Test
    void aMergedTablesHistoryAndVacuum() throws Exception {
        InMemoryStages stages = new InMemoryStages(CONTACTS, work);
        ExtractMessage first = stages.drop("contacts/a.csv", "id,name,updated,deleted\n"
                + "1,ann,1,false\n2,bob,1,false\n3,cy,1,false\n");
        stages.runToEnd(first);
        ExtractMessage second = stages.drop("contacts/b.csv", "id,name,updated,deleted\n"
                + "2,bobby,2,false\n3,cy,2,true\n4,di,1,false\n");
        stages.runToEnd(second);

        List<TableHistory.Entry> history = new TableHistory(log(stages)).page(20, null).orElseThrow().entries();
        assertEquals(2, history.size());
        TableHistory.Entry merge = history.get(0);
        assertEquals(List.of(1L, "MERGE", "merge", second.runId().text()),
                List.of(merge.version(), merge.operation(), merge.mode(), merge.runId()));
        assertEquals(new TableHistory.Merged(1, 1, 1), merge.merged());
        assertEquals(stages.clock.instant(), merge.committedAt());
        TableHistory.Entry created = history.get(1);
        assertEquals(List.of(0L, first.runId().text(), 3L, 0L), List.of(created.version(), created.runId(),
                created.rowsAdded(), created.rowsRemoved()));
        assertEquals(new TableHistory.Merged(3, 0, 0), created.merged());
        assertEquals(merge.filesRemoved(), log(stages).at(1).tombstones().size());
        assertTrue(merge.filesRemoved() > 0);

        // Eight days on, the daily vacuum of every table deletes what only version 0 read.
        Clock later = Clock.fixed(InMemoryStages.NOW.plus(Duration.ofDays(8)), ZoneOffset.UTC);
        RunTables tables = RunTables.standard(stages.blobs, later, work.resolve("t"), EngineLimits.DEFAULT);
        List<CatalogVacuum.Outcome> outcomes = new CatalogVacuum(() -> PipelineCatalog.of(List.of(stages.pipeline)),
                tables, runId -> stages.runs.outcome(runId).isPresent(), later).vacuumAll();
        assertEquals(1, outcomes.size());
        TableVacuum.Vacuumed vacuumed = outcomes.get(0).vacuumed().orElseThrow();
        Set<String> removed = log(stages).at(1).tombstones().keySet();
        assertEquals(removed, vacuumed.deleted().stream().map(TableVacuum.Deletion::path).collect(Collectors.toSet()));
        assertEquals(Duration.ofDays(7), vacuumed.retention());

        Snapshot latest = log(stages).latest().orElseThrow();
        assertEquals(List.of("1:ann", "2:bobby", "4:di"), TableRows.read(stages.blobs, "contacts", latest,
                work.resolve("read"), "id").stream().map(r -> r.get("id") + ":" + r.get("name")).toList());
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> new TableExport(log(stages))
                .export(log(stages).at(0), work.resolve("v0"), Duration.ofDays(7), TableExport.Progress.NONE));
        assertTrue(gone.getMessage().startsWith("version 0 of table " + RunLayout.TRAINING + "/contacts/table/ can no "
                + "longer be read: its data file "), gone.getMessage());
        assertTrue(gone.getMessage().contains("(7d, output.table.retention)"), gone.getMessage());
    }
}
