package io.tributary.cli;

import io.tributary.functions.AppStorage;
import io.tributary.stage.RunSettings;
import io.tributary.history.HistoryBackfill;
import io.tributary.history.RunHistory;
import io.tributary.port.AlertSender;
import io.tributary.port.BlobStore;
import io.tributary.start.ManualRuns;
import io.tributary.start.Reruns;
import io.tributary.start.RunStarter;
import io.tributary.stage.RunStore;
import io.tributary.storage.StorageClients;
import io.tributary.storage.TableRunIndex;
import io.tributary.table.RunTables;
import java.time.Clock;

/**
 * The stage-side objects a command needs, over one storage connection: the app's own ({@link AppStorage}), without
 * alerts (a command says what failed on the terminal).
 */
record Session(AppStorage storage) {

    StorageClients clients() {
        return storage.clients();
    }

    BlobStore blobs() {
        return storage.blobs();
    }

    /** The runs; commands that change runs (run, rerun, backfill) keep the run history as the function app does. */
    RunStore runs() {
        return storage.runs();
    }

    RunHistory history() {
        return storage.history();
    }

    RunStarter starter() {
        return storage.starter();
    }

    /** Starts runs asked for by hand. */
    ManualRuns manual() {
        return storage.manualRuns();
    }

    /** Resumes failed runs, or starts them over. */
    Reruns reruns() {
        return storage.reruns();
    }

    /**
     * The pipelines' Delta tables, their checkpoints read by the engine in {@code work}; as the function app's (time
     * travel, history, vacuum), with the default engine limits.
     */
    RunTables tables(java.nio.file.Path work) {
        return RunTables.standard(blobs(), Clock.systemUTC(), work, io.tributary.engine.EngineLimits.DEFAULT);
    }

    /** A session for a command that starts or changes runs: every container, queue and table is made sure of. */
    static Session open(Workspace workspace) {
        StorageClients clients = workspace.connect();
        return over(clients, clients.provision());
    }

    /**
     * A session for a command that only reads runs and datasets ({@code runs}, {@code status}, {@code export}): only
     * the run history's tables are made sure of, so it answers without a round trip per queue and container.
     */
    static Session read(Workspace workspace) {
        StorageClients clients = workspace.connect();
        return over(clients, clients.provisionHistory());
    }

    private static Session over(StorageClients clients, boolean newHistory) {
        AppStorage storage = new AppStorage(clients, AlertSender.NONE, RunSettings.ofProcess(), Clock.systemUTC());
        if (newHistory) {
            storage.backfillHistory(); // runs from before the history: 'tributary runs' lists them too
        }
        return new Session(storage);
    }
}
