package io.tributary.table;

import io.tributary.port.BlobStore;
import java.util.List;

/** Writes and reads a table's checkpoints: the actions that state one version on their own, as Parquet. */
public interface Checkpoints {

    /** Writes {@code actions} as the checkpoint blob {@code name}; returns the rows written. */
    long write(BlobStore blobs, String container, String name, List<Action> actions);

    /** The actions of the checkpoint blob {@code name}. */
    List<Action> read(BlobStore blobs, String container, String name);
}
