package io.tributary.engine;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.expectation.Expectation;
import io.tributary.definition.sql.SqlText;
import io.tributary.definition.step.AggregateStep;
import io.tributary.definition.step.CastStep;
import io.tributary.definition.step.DedupeStep;
import io.tributary.definition.step.DeriveStep;
import io.tributary.definition.step.DropStep;
import io.tributary.definition.step.FillNullStep;
import io.tributary.definition.step.FilterStep;
import io.tributary.definition.step.LookupStep;
import io.tributary.definition.step.SelectStep;
import io.tributary.definition.step.SqlStep;
import io.tributary.definition.step.Step;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a run whose source is cut into chunks brings together the rows that a step or an expectation judges together
 * ({@code dedupe}, {@code aggregate}, {@code sql}, {@code unique}): each chunk runs the steps before the first of them
 * ({@link #splitAt}) and routes its rows into key buckets by a hash of {@link #keys}; each bucket then runs the rest
 * of the steps, the expectations and the split on every row of its keys, from all chunks.
 *
 * <p>Rows of one key meet in one bucket only while the key keeps its values and every later such step or expectation
 * groups by at least those columns. When that cannot be shown (a later step renames, recasts or recomputes a key
 * column, a {@code sql} step, a later step grouping by other columns), all rows go to one bucket: still correct,
 * with the chunks parsed side by side.
 *
 * @param splitAt the index of the first step that runs per bucket ({@code steps.size()} when only expectations do)
 * @param keys    the columns whose values route a row; empty when every row goes to one bucket
 */
public record KeyRouting(int splitAt, List<String> keys) {

    /** The column the routed rows carry their bucket in, while they are written. */
    static final String BUCKET = ChunkTransformer.INTERNAL + "bucket";

    public KeyRouting {
        keys = List.copyOf(keys);
    }

    /** How {@code definition}'s runs route rows, or empty when no step or expectation judges rows together. */
    public static Optional<KeyRouting> of(PipelineDefinition definition) {
        List<Step> steps = definition.steps();
        for (int i = 0; i < steps.size(); i++) {
            Optional<List<String>> keys = groups(steps.get(i));
            if (keys.isPresent()) {
                return Optional.of(new KeyRouting(i, keepsKeys(definition, i, keys.get()) ? keys.get() : List.of()));
            }
        }
        Optional<List<String>> unique = definition.expectations().stream().filter(e -> e.expect().equals("unique"))
                .findFirst().map(Expectation::columns);
        return unique.map(keys -> new KeyRouting(steps.size(),
                keepsKeys(definition, steps.size(), keys) ? keys : List.of()));
    }

    /** How many buckets a run of {@code chunks} chunks routes into: one per chunk, or one when keys cannot route. */
    public int buckets(int chunks) {
        return keys.isEmpty() ? 1 : chunks;
    }

    /** The columns step {@code step} groups rows by, if it judges rows together: empty keys for a {@code sql} step. */
    private static Optional<List<String>> groups(Step step) {
        if (step instanceof DedupeStep dedupe) {
            return Optional.of(dedupe.keys());
        }
        if (step instanceof AggregateStep aggregate) {
            return Optional.of(aggregate.groupBy());
        }
        return step instanceof SqlStep ? Optional.of(List.of()) : Optional.empty();
    }

    /**
     * Whether rows routed by {@code keys} before step {@code from} stay together for every later step and expectation
     * that judges rows together.
     */
    private static boolean keepsKeys(PipelineDefinition definition, int from, List<String> keys) {
        if (keys.isEmpty()) {
            return false;
        }
        Set<String> key = new HashSet<>(keys);
        List<Step> steps = definition.steps();
        for (int i = from + 1; i < steps.size(); i++) {
            Step step = steps.get(i);
            Optional<List<String>> groups = groups(step);
            if (groups.isPresent()) {
                if (!groups.get().containsAll(key)) {
                    return false;
                }
            } else if (!keepsValues(step, key)) {
                return false;
            }
        }
        return definition.expectations().stream().filter(e -> e.expect().equals("unique"))
                .allMatch(e -> e.columns().containsAll(key));
    }

    /** Whether {@code step} leaves the values of the {@code key} columns as they are. */
    private static boolean keepsValues(Step step, Set<String> key) {
        if (step instanceof FilterStep || step instanceof SelectStep || step instanceof DropStep) {
            return true;
        }
        if (step instanceof DeriveStep derive) {
            return derive.columns().keySet().stream().noneMatch(key::contains);
        }
        if (step instanceof LookupStep lookup) {
            return lookup.columns().keySet().stream().noneMatch(key::contains);
        }
        if (step instanceof CastStep cast) {
            return cast.columns().keySet().stream().noneMatch(key::contains);
        }
        if (step instanceof FillNullStep fill) {
            return fill.values().keySet().stream().noneMatch(key::contains);
        }
        return false; // rename, flatten: names and values change in ways not worth following
    }

    /**
     * The SQL expression for a row's bucket, 0 to {@code buckets - 1}: a stable hash of its key values as text (the
     * same in every process and version, unlike DuckDB's {@code hash}), so every chunk routes a key alike.
     */
    String bucketSql(int buckets) {
        if (keys.isEmpty() || buckets == 1) {
            return "0";
        }
        String text = keys.stream().map(k -> "coalesce(CAST(" + SqlText.identifier(k) + " AS VARCHAR), '')")
                .collect(Collectors.joining(" || chr(31) || "));
        return "CAST((md5_number(" + text + ") >> 64)::UBIGINT % " + buckets + " AS INTEGER)";
    }
}
