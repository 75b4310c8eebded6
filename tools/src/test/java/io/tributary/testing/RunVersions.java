package io.tributary.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.engine.EngineLimits;
import io.tributary.port.BlobStore;
import io.tributary.run.RunId;
import io.tributary.table.Action;
import io.tributary.table.RunTables;
import io.tributary.table.TableLog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;

/**
 * Which run each version of a pipeline's table holds, as its log says: the run named by the version's transaction
 * action ({@code txn}, {@code appId} {@code tributary/{pipeline}/{runId}}). A table commits its runs exactly once when
 * this is a one-to-one map from versions 0, 1, … onto the runs.
 */
public final class RunVersions {

    private RunVersions() {
    }

    /** The log of {@code pipeline}'s table, its checkpoints read in {@code work}. */
    public static TableLog log(BlobStore blobs, String pipeline, Path work) {
        return RunTables.standard(blobs, Clock.systemUTC(), work, EngineLimits.DEFAULT).log(pipeline);
    }

    /**
     * The run of each version in the log, by version.
     *
     * @throws AssertionError when a version's commit names no run of {@code pipeline}, or more than one
     */
    public static Map<Long, RunId> of(TableLog log, String pipeline) {
        String prefix = "tributary/" + pipeline + "/";
        Map<Long, RunId> runs = new TreeMap<>();
        for (long version : log.versions()) {
            List<String> txns = log.commit(version).orElseThrow().stream().map(Action::txn)
                    .filter(t -> t != null && t.appId().startsWith(prefix)).map(t -> t.appId().substring(prefix.length()))
                    .toList();
            if (txns.size() != 1) {
                throw new AssertionError("version " + version + " of " + log.where() + " carries the transactions of "
                        + txns + ", not of one run");
            }
            runs.put(version, RunId.parse(txns.get(0)));
        }
        return runs;
    }

    /** Asserts that the table holds versions 0 to n-1 for the n {@code runs}, each run's in exactly one. */
    public static void assertOnePerRun(TableLog log, String pipeline, Collection<RunId> runs) {
        Map<Long, RunId> versions = of(log, pipeline);
        assertEquals(LongStream.range(0, runs.size()).boxed().toList(), List.copyOf(versions.keySet()),
                "a version per run of " + pipeline + ": " + versions);
        assertEquals(new TreeSet<>(runs), new TreeSet<>(versions.values()), "the runs of the versions of " + pipeline);
    }
}
