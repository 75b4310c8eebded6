package io.tributary.history;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.RunLayout;
import io.tributary.start.RunRequests;
import io.tributary.table.TableHistory;
import io.tributary.table.TableLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The versions of a pipeline's Delta table, for {@code GET /api/pipelines/{pipeline}/history?limit=&before=} and
 * {@code tributary history}: each version newest first, with the run that committed it and what it changed.
 */
public final class TableHistoryApi {

    /** The query parameters; {@code code} carries the function key in Azure. */
    private static final Set<String> PARAMETERS = Set.of("limit", "before", "code");

    private final Supplier<PipelineCatalog> catalog;
    private final RunQueries queries;
    private final Function<String, TableLog> logs;

    /** @param logs the log of a pipeline's table, by the pipeline's name */
    public TableHistoryApi(Supplier<PipelineCatalog> catalog, RunQueries queries, Function<String, TableLog> logs) {
        this.catalog = catalog;
        this.queries = queries;
        this.logs = logs;
    }

    /** {@code GET /api/pipelines/{pipeline}/history?limit=&before=}: 400 for a bad parameter, 404 for no versions. */
    public RunRequests.Answer history(String pipeline, Map<String, String> query) {
        int limit;
        Long before;
        try {
            for (String name : query.keySet()) {
                if (!PARAMETERS.contains(name)) {
                    throw new IllegalArgumentException("unknown query parameter '" + name + "'"
                            + io.tributary.definition.read.Suggestions.didYouMean(name, List.of("limit", "before"))
                            + "; the history takes limit and before");
                }
            }
            limit = (int) number("limit", query.get("limit"), TableHistory.DEFAULT_LIMIT, 1, TableHistory.MAX_LIMIT);
            before = query.get("before") == null || query.get("before").isBlank() ? null
                    : number("before", query.get("before"), 0, 0, Long.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        try {
            return new RunRequests.Answer(200, json(pipeline, page(pipeline, limit, before)));
        } catch (IllegalArgumentException e) {
            return error(404, e.getMessage());
        }
    }

    /**
     * A page of {@code pipeline}'s table versions: up to {@code limit} older than {@code before} (null: from the
     * newest).
     *
     * @throws IllegalArgumentException when the pipeline is not one, or its table has no versions (saying why)
     */
    public TableHistory.Page page(String pipeline, int limit, Long before) {
        queries.requirePipeline(catalog.get(), pipeline);
        TableLog log = logs.apply(pipeline);
        return new TableHistory(log).page(limit, before).orElseThrow(() -> new IllegalArgumentException(
                noVersions(pipeline, catalog.get().find(pipeline))));
    }

    /** Why {@code pipeline}'s table has no versions to show. */
    static String noVersions(String pipeline, Optional<PipelineDefinition> definition) {
        String table = RunLayout.TRAINING + "/" + RunLayout.table(pipeline);
        if (definition.isPresent() && definition.get().output().tableOutput().isEmpty()) {
            return "pipeline '" + pipeline + "' writes no Delta table (its definition has no output.table): each run "
                    + "commits a dataset of its own under " + RunLayout.TRAINING + "/" + pipeline + "/{runId}/, which "
                    + "'tributary runs --pipeline " + pipeline + "' lists";
        }
        return "pipeline '" + pipeline + "' has no table versions yet: no run has committed to " + table;
    }

    /** The JSON of a page: the table, its newest version, the versions and the {@code before} of the next page. */
    public static Map<String, Object> json(String pipeline, TableHistory.Page page) {
        List<Map<String, Object>> versions = new ArrayList<>();
        for (TableHistory.Entry e : page.entries()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("version", e.version());
            v.put("inLog", e.inLog());
            v.put("committedAt", e.committedAt() == null ? null : e.committedAt().toString());
            v.put("operation", e.operation());
            v.put("mode", e.mode());
            v.put("runId", e.runId());
            v.put("rowsAdded", e.rowsAdded());
            v.put("rowsRemoved", e.rowsRemoved());
            v.put("filesAdded", e.filesAdded());
            v.put("filesRemoved", e.filesRemoved());
            v.put("bytesAdded", e.bytesAdded());
            if (e.merged() == null) {
                v.put("merged", null);
            } else {
                Map<String, Object> merged = new LinkedHashMap<>();
                merged.put("inserted", e.merged().inserted());
                merged.put("updated", e.merged().updated());
                merged.put("deleted", e.merged().deleted());
                v.put("merged", merged);
            }
            versions.add(v);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pipeline", pipeline);
        body.put("table", RunLayout.TRAINING + "/" + RunLayout.table(pipeline));
        body.put("latestVersion", page.latest());
        body.put("versions", versions);
        body.put("nextBefore", page.nextBefore());
        return body;
    }

    private static long number(String name, String text, long fallback, long min, long max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min
                + (max == Long.MAX_VALUE ? " up" : " to " + max) + ", not '" + text + "'");
    }

    private static RunRequests.Answer error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return new RunRequests.Answer(status, body);
    }
}
