package io.tributary.cli;

import io.tributary.port.BlobStore;
import io.tributary.history.HistoryBackfill;
import io.tributary.history.RunHistory;
import io.tributary.start.RunStarter;
import io.tributary.stage.RunStore;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.AzureStageQueue;
import io.tributary.storage.StorageClients;
import io.tributary.storage.TableRunIndex;
import io.tributary.start.ManualRuns;
import java.time.Clock;

/** The stage-side objects a command needs, over one storage connection. */
record Session(StorageClients clients, BlobStore blobs, RunStore runs, RunHistory history, RunStarter starter) {

    /** Starts runs asked for by hand. */
    ManualRuns manual() {
        return new ManualRuns(starter, blobs, Clock.systemUTC());
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
        BlobStore blobs = new AzureBlobStore(clients.blobs());
        // Commands that change runs (run, rerun, backfill) keep the run history as the function app does.
        RunStore runs = new RunStore(blobs, new TableRunIndex(clients));
        if (newHistory) {
            new HistoryBackfill(runs).fill(); // runs from before the history: 'tributary runs' lists them too
        }
        return new Session(clients, blobs, runs, new RunHistory(runs),
                new RunStarter(runs, new AzureStageQueue(clients), Clock.systemUTC()));
    }
}
