package io.tributary.functions;

import io.tributary.port.AlertSender;
import io.tributary.stage.Alerts;
import io.tributary.port.BlobStore;
import io.tributary.history.HistoryBackfill;
import io.tributary.start.ManualRuns;
import io.tributary.start.Reruns;
import io.tributary.history.RunHistory;
import io.tributary.start.RunStarter;
import io.tributary.stage.RunSettings;
import io.tributary.stage.RunStore;
import io.tributary.port.StageQueue;
import io.tributary.storage.AzureBlobStore;
import io.tributary.storage.AzureStageQueue;
import io.tributary.storage.StorageClients;
import io.tributary.storage.TableRunIndex;
import java.time.Clock;

/**
 * What works over one storage connection: its clients, the blob store and stage queues over them, the run store with
 * its run history, and what starts and resumes runs. The function app builds its stages on one; the command line
 * builds one for its commands, with no alerts (a command says what failed on the terminal). Immutable: built once,
 * handed around.
 */
public final class AppStorage {

    private final StorageClients clients;
    private final BlobStore blobs;
    private final StageQueue queue;
    private final RunStore runs;
    private final RunStarter starter;
    private final Clock clock;

    /**
     * @param clients the storage account's clients; their containers, queues and tables are the caller's to provision
     * @param alerts   where a failed run's alerts go ({@link AlertSender#NONE}: nowhere)
     * @param settings what runs see of the app's settings: the access their snapshots are read under, and the values
     *                 of the settings they name (masked as secrets)
     * @param clock    the time runs are started and changed at
     */
    public AppStorage(StorageClients clients, AlertSender alerts, RunSettings settings, Clock clock) {
        this.clients = clients;
        this.clock = clock;
        this.blobs = new AzureBlobStore(clients.blobs());
        this.queue = new AzureStageQueue(clients);
        this.runs = new RunStore(blobs, new Alerts(blobs, alerts, clock, settings.values()), new TableRunIndex(clients),
                settings);
        this.starter = new RunStarter(runs, queue, clock);
    }

    public StorageClients clients() {
        return clients;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public StageQueue queue() {
        return queue;
    }

    /** The runs, keeping the run history and raising alerts. */
    public RunStore runs() {
        return runs;
    }

    /** Starts runs: writes their records and snapshots, sends their extract messages. */
    public RunStarter starter() {
        return starter;
    }

    /** Starts runs asked for by hand (the command line, the HTTP API). */
    public ManualRuns manualRuns() {
        return new ManualRuns(starter, runs, clock);
    }

    /** Resumes failed runs, or starts them over. */
    public Reruns reruns() {
        return new Reruns(runs, queue, clock);
    }

    /** Reads runs for people: their status, the latest dataset, its manifest. */
    public RunHistory history() {
        return new RunHistory(runs);
    }

    /**
     * Writes the history of the runs made before the history's tables existed (call it when provisioning made them).
     *
     * @return how many runs it wrote
     */
    public int backfillHistory() {
        return new HistoryBackfill(runs).fill();
    }
}
