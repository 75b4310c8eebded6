package io.tributary.history;

import io.tributary.port.RunSummary;
import io.tributary.port.StageRow;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one JSON shape of a run, wherever it is shown: {@code GET /api/runs} and {@code tributary runs --json} list
 * {@link #summary summaries}; {@code GET /api/runs/{runId}} and {@code tributary status --json} show a run
 * {@link #detail in full}.
 */
public final class RunJson {

    private RunJson() {
    }

    /**
     * A run's summary: {@code runId, pipeline, trigger, status, startedAt, endedAt, rowsIn, rowsOut, rowsRejected,
     * bytes, error, failedStage, waitedMs}, in that order; counts are null until they are known; {@code waitedMs} is how
     * long a resumed run waited for its reruns, null for a run never resumed.
     */
    public static Map<String, Object> summary(RunSummary run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runId", run.runId().text());
        json.put("pipeline", run.pipeline());
        json.put("trigger", run.trigger());
        json.put("status", run.status().text());
        json.put("startedAt", run.startedAt());
        json.put("endedAt", run.endedAt());
        json.put("rowsIn", run.rowsIn());
        json.put("rowsOut", run.rowsOut());
        json.put("rowsRejected", run.rowsRejected());
        json.put("bytes", run.bytes());
        json.put("error", run.error());
        json.put("failedStage", run.failedStage());
        json.put("waitedMs", run.waitedMillis());
        return json;
    }

    /** The runs of a listing: {@code {"runs": [summary, …]}}. */
    public static Map<String, Object> list(List<RunSummary> runs) {
        return Map.of("runs", runs.stream().map(RunJson::summary).toList());
    }

    /** The fields of {@link #summary} a pipeline's last run shows, in the same order. */
    private static final Set<String> LAST_RUN_FIELDS = Set.of("runId", "status", "startedAt", "endedAt", "rowsIn",
            "rowsOut", "rowsRejected");

    /** A pipeline's last run, as {@code GET /api/pipelines} shows it: part of its {@link #summary}. */
    public static Map<String, Object> lastRun(RunSummary run) {
        Map<String, Object> json = summary(run);
        json.keySet().retainAll(LAST_RUN_FIELDS);
        return json;
    }

    /**
     * A run in full: {@code run} (its summary with parameters, source, definition hash and what it reruns),
     * {@code stages}, {@code splits}, {@code expectations}, {@code rejects} ({@code count} and a {@code sample}) and
     * {@code dataset} (null until it committed).
     */
    public static Map<String, Object> detail(RunQueries.RunDetail detail) {
        Map<String, Object> run = summary(detail.run());
        run.put("parameters", detail.run().parameters());
        run.put("source", detail.run().source());
        run.put("definitionHash", detail.run().definitionHash());
        run.put("rerunOf", java.util.Objects.toString(detail.run().rerunOf(), null));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run", run);
        body.put("stages", detail.stages().stream().map(RunJson::stage).toList());
        body.put("splits", detail.manifest().map(Manifest::splits).orElse(Map.of()));
        body.put("expectations", detail.manifest().map(Manifest::expectations).orElse(List.of()));
        Map<String, Object> rejects = new LinkedHashMap<>();
        rejects.put("count", detail.rejectCount());
        rejects.put("sample", detail.rejectSample());
        body.put("rejects", rejects);
        body.put("dataset", detail.manifest().map(RunJson::dataset).orElse(null));
        return body;
    }

    private static Map<String, Object> stage(StageRow row) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stage", row.stage().text());
        json.put("chunk", row.chunk()); // -1 for a stage that has no chunks (extract, store), as in stage reports
        json.put("status", row.status().text());
        json.put("startedAt", row.startedAt());
        json.put("finishedAt", row.finishedAt());
        json.put("rowsIn", row.rowsIn());
        json.put("rowsOut", row.rowsOut());
        json.put("rowsRejected", row.rowsRejected());
        json.put("bytes", row.bytes());
        json.put("attempts", row.attempts() == 0 ? null : row.attempts());
        json.put("error", row.error());
        return json;
    }

    private static Map<String, Object> dataset(Manifest manifest) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("path", RunLayout.TRAINING + "/" + RunLayout.datasetFolder(manifest.pipeline(), manifest.runId()));
        json.put("files", manifest.files().stream().map(f -> {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", f.path());
            file.put("split", f.split().text());
            file.put("rows", f.rows());
            file.put("bytes", f.bytes());
            return file;
        }).toList());
        return json;
    }
}
