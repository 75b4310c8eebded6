package io.tributary.history;

import io.tributary.run.RunState;
import io.tributary.definition.output.SplitName;
import io.tributary.definition.DefinitionAccess;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.PipelineName;
import io.tributary.definition.trigger.ScheduleTrigger;
import io.tributary.port.RunIndex;
import io.tributary.run.RunId;
import io.tributary.start.BrokenDefinition;
import io.tributary.start.Reruns;
import io.tributary.start.RunRequests;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The JSON of the HTTP API's run history endpoints ({@code GET /api/pipelines}, {@code GET /api/runs},
 * {@code GET /api/runs/{runId}}, {@code POST /api/runs/{runId}/rerun}): parses what a request asks, answers with a
 * status and a body. The function classes only bind the request and send the answer.
 */
public final class RunsApi {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;
    /** The query parameters of {@code GET /api/runs}; {@code code} carries the function key in Azure. */
    private static final Set<String> FILTERS = Set.of("pipeline", "status", "since", "until", "limit", "code");

    private final Supplier<PipelineCatalog> catalog;
    private final RunQueries queries;
    private final Reruns reruns;
    private final Function<String, Optional<String>> settings;
    private final Clock clock;

    /**
     * @param settings the app settings by name, for schedules read from a setting
     */
    public RunsApi(Supplier<PipelineCatalog> catalog, RunQueries queries, Reruns reruns,
                   Function<String, Optional<String>> settings, Clock clock) {
        this.catalog = catalog;
        this.queries = queries;
        this.reruns = reruns;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * {@code GET /api/pipelines}: each pipeline's trigger, next scheduled time and last run; and each definition file
     * that did not load ({@code broken}), with its problems.
     */
    public RunRequests.Answer pipelines() {
        Instant now = clock.instant();
        List<Map<String, Object>> pipelines = new ArrayList<>();
        for (PipelineDefinition pipeline : catalog.get().all()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", pipeline.name());
            entry.put("trigger", trigger(pipeline));
            entry.put("nextRunAt", nextRunAt(pipeline, now).orElse(null));
            entry.put("lastRun", queries.latest(pipeline.name()).map(RunJson::lastRun).orElse(null));
            pipelines.add(entry);
        }
        List<Map<String, Object>> broken = new ArrayList<>();
        for (BrokenDefinition definition : BrokenDefinition.of(catalog.get())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", definition.file());
            entry.put("pipeline", definition.pipeline());
            entry.put("problems", definition.problems().stream().map(p -> {
                Map<String, Object> problem = new LinkedHashMap<>();
                problem.put("line", p.line());
                problem.put("column", p.column());
                problem.put("pointer", p.pointer());
                problem.put("message", p.message());
                return problem;
            }).toList());
            broken.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pipelines", pipelines);
        body.put("broken", broken);
        return ok(body);
    }

    /** {@code GET /api/runs?pipeline=&status=&since=&until=&limit=}: runs, newest first. */
    public RunRequests.Answer runs(Map<String, String> query) {
        RunIndex.Filter filter;
        try {
            filter = filter(query);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        if (filter.pipeline() != null) {
            Optional<RunRequests.Answer> unknown = unknownPipeline(filter.pipeline());
            if (unknown.isPresent()) {
                return unknown.get();
            }
        }
        return ok(RunJson.list(queries.runs(filter)));
    }

    /**
     * A 404 saying {@code no pipeline named 'x'} (with a "did you mean") when neither the definitions nor the run
     * history know {@code pipeline}; empty when it is one.
     */
    public Optional<RunRequests.Answer> unknownPipeline(String pipeline) {
        try {
            queries.requirePipeline(catalog.get(), pipeline);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(error(404, e.getMessage()));
        }
    }

    /** {@code GET /api/runs/{runId}}: one run in full. */
    public RunRequests.Answer run(String text) {
        if (!RunId.isValid(text)) {
            return error(400, notARunId(text));
        }
        RunId runId = RunId.parse(text);
        Optional<RunQueries.RunDetail> found = queries.run(runId);
        if (found.isEmpty()) {
            return error(404, "no run " + runId + "; GET /api/runs lists the runs");
        }
        Map<String, Object> body = RunJson.detail(found.get());
        return ok(body);
    }

    /**
     * {@code POST /api/runs/{runId}/rerun[?fromStart=true]}: resumes a failed run from what failed (as
     * {@code tributary rerun}), or starts it over as a new run; 409 when the run is not failed.
     */
    public RunRequests.Answer rerun(String text, Map<String, String> query) {
        if (!RunId.isValid(text)) {
            return error(400, notARunId(text));
        }
        RunId runId = RunId.parse(text);
        for (String name : query.keySet()) {
            if (!name.equals("fromStart") && !name.equals("code")) {
                return error(400, "unknown query parameter '" + name + "'"
                        + io.tributary.definition.read.Suggestions.didYouMean(name, List.of("fromStart"))
                        + "; a rerun takes only fromStart=true (start over as a new run)");
            }
        }
        String from = Optional.ofNullable(query.get("fromStart")).map(String::strip).orElse("false");
        if (!from.equalsIgnoreCase("true") && !from.equalsIgnoreCase("false")) {
            return error(400, "fromStart must be true or false, not '" + from + "'");
        }
        boolean fromStart = from.equalsIgnoreCase("true");
        Reruns.Started started;
        try {
            started = fromStart ? reruns.fromStart(runId) : reruns.resume(runId);
        } catch (IllegalArgumentException e) {
            return error(404, e.getMessage().replace("'tributary runs'", "GET /api/runs"));
        } catch (IllegalStateException e) {
            return error(409, e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", started.runId().text());
        body.put("resumeFrom", started.from().text());
        body.put("kind", started.kind());
        body.put("isNew", started.isNew());
        return new RunRequests.Answer(202, body);
    }

    /**
     * The filter a query string asks for.
     *
     * @throws IllegalArgumentException saying which parameter is wrong and what it must be
     */
    static RunIndex.Filter filter(Map<String, String> query) {
        for (String name : query.keySet()) {
            if (!FILTERS.contains(name)) {
                throw new IllegalArgumentException("unknown query parameter '" + name + "'"
                        + io.tributary.definition.read.Suggestions.didYouMean(name, List.of("pipeline", "status", "since",
                        "until", "limit")) + "; the filters are pipeline, status, since, until and limit");
            }
        }
        String pipeline = blankToNull(query.get("pipeline"));
        if (pipeline != null && !PipelineName.isValid(pipeline)) {
            throw new IllegalArgumentException("pipeline must be a pipeline name (lower-case letters, digits and "
                    + "hyphens, such as sample-orders), not '" + pipeline + "'");
        }
        String statusText = blankToNull(query.get("status"));
        if (statusText != null && !RunState.texts().contains(statusText)) {
            throw new IllegalArgumentException("status must be one of " + String.join(", ", RunState.texts())
                    + ", not '" + statusText + "'");
        }
        RunState status = statusText == null ? null : RunState.parse(statusText);
        Instant since = time("since", query.get("since"));
        Instant until = time("until", query.get("until"));
        if (until != null && isDate(query.get("until"))) {
            until = until.plus(java.time.Duration.ofDays(1)).minusSeconds(1); // the whole day, to its last second
        }
        if (since != null && until != null && since.isAfter(until)) {
            throw new IllegalArgumentException("since (" + since + ") is after until (" + until + "); swap them");
        }
        int limit = DEFAULT_LIMIT;
        String text = blankToNull(query.get("limit"));
        if (text != null) {
            try {
                limit = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT + ", not '"
                        + text + "'");
            }
        }
        return new RunIndex.Filter(pipeline, status, since, until, limit);
    }

    private static boolean isDate(String value) {
        try {
            LocalDate.parse(value.strip());
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** An ISO-8601 time ({@code 2026-11-22T07:00:00Z}, with an offset) or a date (midnight UTC). */
    private static Instant time(String name, String value) {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException(name + " must be an ISO-8601 time such as 2026-11-22T07:00:00Z "
                        + "(or a date such as 2026-11-22, midnight UTC), not '" + text + "'");
            }
        }
    }

    /** The pipeline's trigger: its type and its own fields. */
    private static Map<String, Object> trigger(PipelineDefinition pipeline) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (pipeline.fileDrop().isPresent()) {
            json.put("type", "fileDrop");
            json.put("path", pipeline.fileDrop().get().path());
        } else if (pipeline.schedule().isPresent()) {
            ScheduleTrigger schedule = pipeline.schedule().get();
            json.put("type", "schedule");
            json.put("schedule", schedule.cron());
            json.put("timeZone", schedule.timeZone().getId());
        } else if (pipeline.dataset().isPresent()) {
            json.put("type", "dataset");
            json.put("pipeline", pipeline.dataset().get().pipeline());
            json.put("splits", pipeline.dataset().get().splits().stream().map(SplitName::text).toList());
        } else {
            json.put("type", "manual");
        }
        return json;
    }

    /** When the pipeline's schedule next falls due, or empty without a schedule or when it cannot be read. */
    private Optional<Instant> nextRunAt(PipelineDefinition pipeline, Instant now) {
        if (pipeline.schedule().isEmpty()) {
            return Optional.empty();
        }
        try {
            return pipeline.schedule().get().resolve(DefinitionAccess.from(settings).settings().guard(settings,
                    (name, why) -> new IllegalStateException(why))).next(now);
        } catch (RuntimeException e) {
            return Optional.empty(); // its setting is not set, not one it may read, or not NCRONTAB: it does not fire
        }
    }

    private static String notARunId(String runId) {
        return "'" + runId + "' is not a run id (they look like 20261122T054000Z-3fa9c1d20b; GET /api/runs lists "
                + "them)";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static RunRequests.Answer ok(Map<String, Object> body) {
        return new RunRequests.Answer(200, body);
    }

    private static RunRequests.Answer error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return new RunRequests.Answer(status, body);
    }
}
