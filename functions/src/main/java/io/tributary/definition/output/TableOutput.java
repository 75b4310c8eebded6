package io.tributary.definition.output;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code output.table}: the pipeline's dataset is one Delta Lake table, and each run commits one version of it.
 *
 * @param mode               how a run's rows enter the table
 * @param keys               the columns that identify a row ({@code merge}; empty otherwise)
 * @param orderBy            the column whose greatest value makes a key's row the newest ({@code merge}; else null)
 * @param deleteWhen         a SQL condition on an incoming row that removes its key from the table ({@code merge};
 *                           null for none)
 * @param checkpointInterval a checkpoint is written every this many versions
 * @param retention          how long a data file no current version reads is kept for time travel before vacuum
 *                           deletes it
 */
public record TableOutput(Mode mode, List<String> keys, String orderBy, String deleteWhen, int checkpointInterval,
                          Duration retention) {

    public static final int DEFAULT_CHECKPOINT_INTERVAL = 10;
    /** The target file size of a merged table when the definition gives none: a merge rewrites whole files. */
    public static final long MERGE_TARGET_FILE_BYTES = 32L << 20;
    /** Delta Lake's own default for {@code delta.deletedFileRetentionDuration}. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    /** How a run's rows enter the table. */
    public enum Mode {
        /** The run's rows are added. */
        APPEND,
        /** The run's rows are upserted by key, the newest by {@code orderBy} winning. */
        MERGE,
        /** The run's rows replace the table's contents. */
        OVERWRITE;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode named {@code text}, if any. */
        public static Optional<Mode> of(String text) {
            for (Mode m : values()) {
                if (m.text().equals(text)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }

        public static List<String> texts() {
            return java.util.Arrays.stream(values()).map(Mode::text).toList();
        }
    }

    public TableOutput {
        keys = List.copyOf(keys);
        if (mode == Mode.MERGE && (keys.isEmpty() || orderBy == null)) {
            throw new IllegalArgumentException("a merge needs keys and an ordering column");
        }
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("a checkpoint interval below 1: " + checkpointInterval);
        }
    }

    /** The delete condition, if the definition declares one. */
    public Optional<String> deleteCondition() {
        return Optional.ofNullable(deleteWhen);
    }
}
