package io.tributary.local.compute;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.local.compute.DatabricksRequestCheck.Refusal;
import io.tributary.run.Json;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Azure Databricks workspace's Jobs API on the loopback address, as far as Tributary uses it: {@code POST
 * runs/submit}, {@code POST run-now}, {@code GET runs/get} and {@code POST runs/cancel}, under {@code /api/2.1/jobs/}
 * and {@code /api/2.2/jobs/} alike.
 *
 * <ul>
 *   <li><b>Requests</b> are checked as {@link DatabricksRequestCheck} says: a missing or malformed field is answered
 *       {@code 400 INVALID_PARAMETER_VALUE}; a body that is not JSON {@code 400 MALFORMED_REQUEST}; a job that was
 *       not {@linkplain #job registered} {@code 400 INVALID_PARAMETER_VALUE "Job N does not exist."}; an unknown run
 *       {@code 400 INVALID_PARAMETER_VALUE "Run N does not exist."}; another path or method {@code 404
 *       ENDPOINT_NOT_FOUND}. Every error body is Databricks' {@code {"error_code": "…", "message": "…"}}.</li>
 *   <li><b>Idempotency</b>: a start with an {@code idempotency_token} already used answers 200 with that run's id
 *       and starts nothing (whatever its body says, as Databricks is documented to).</li>
 *   <li><b>Runs</b> get ids from 1001 up; a one-time run gets a hidden job id of its own from 900001 up, as
 *       Databricks gives one; {@code run_page_url} is {@code {uri}/#job/{job_id}/run/{run_id}}.</li>
 *   <li><b>State</b>: the n-th {@code runs/get} of a run sees its n-th step, the last one again and again once they
 *       run out. A run {@linkplain #play played} a script goes through it and stays in its last step (a script ending
 *       RUNNING runs until cancelled). Any other run goes PENDING, RUNNING, then ends as its {@link RunExecutor}
 *       says, once it says (the default ends it TERMINATED/SUCCESS at once). A cancel of a run that is not over
 *       makes it TERMINATING, then TERMINATED/CANCELED; of one that is over, nothing (200).</li>
 * </ul>
 *
 * <p>The stand-in does not enforce {@code timeout_seconds}, keep run history beyond its life, or run anything itself:
 * the local host gives it an executor that does.
 */
public final class LocalDatabricks extends StandInServer {

    /**
     * A step of a run's life, as {@code runs/get} writes its {@code state}.
     *
     * @param lifeCycleState {@code PENDING}, {@code RUNNING}, {@code TERMINATED}, {@code INTERNAL_ERROR}, … (any text:
     *                       a value the client does not know can be played too)
     * @param resultState    {@code SUCCESS}, {@code FAILED}, {@code CANCELED}, … once over; null before
     * @param stateMessage   Databricks' message, or empty
     */
    public record StateStep(String lifeCycleState, String resultState, String stateMessage) {

        private static final Set<String> TERMINAL = Set.of("TERMINATED", "SKIPPED", "INTERNAL_ERROR");

        public StateStep {
            Objects.requireNonNull(lifeCycleState, "lifeCycleState");
            stateMessage = stateMessage == null ? "" : stateMessage;
        }

        public static StateStep of(String lifeCycleState, String resultState, String stateMessage) {
            return new StateStep(lifeCycleState, resultState, stateMessage);
        }

        public static StateStep queued() {
            return of("QUEUED", null, "Waiting in the queue.");
        }

        public static StateStep pending() {
            return of("PENDING", null, "Waiting for cluster.");
        }

        public static StateStep running() {
            return of("RUNNING", null, "In run");
        }

        public static StateStep succeeded() {
            return of("TERMINATED", "SUCCESS", "");
        }

        public static StateStep failed(String message) {
            return of("TERMINATED", "FAILED", message);
        }

        public static StateStep canceled(String message) {
            return of("TERMINATED", "CANCELED", message);
        }

        public static StateStep timedOut() {
            return of("TERMINATED", "TIMEDOUT", "Run timed out.");
        }

        public static StateStep internalError(String message) {
            return of("INTERNAL_ERROR", null, message);
        }

        public static StateStep skipped(String message) {
            return of("SKIPPED", null, message);
        }

        /** Whether a run in this step is over: TERMINATED, SKIPPED or INTERNAL_ERROR. */
        public boolean terminal() {
            return TERMINAL.contains(lifeCycleState);
        }

        /** {@code TERMINATED/FAILED}, {@code RUNNING}. */
        public String text() {
            return resultState == null ? lifeCycleState : lifeCycleState + "/" + resultState;
        }
    }

    /**
     * A run the stand-in started.
     *
     * @param runId            its id
     * @param jobId            the job it is a run of: the registered job's for {@code run-now}, a hidden one's for a
     *                         one-time run
     * @param runType          {@code SUBMIT_RUN} or {@code JOB_RUN}
     * @param runName          its name: the request's {@code run_name} ({@code Untitled} without one), or the job's
     * @param idempotencyToken the token it was started with, or null
     * @param request          the body that started it
     */
    public record SubmittedRun(long runId, long jobId, String runType, String runName, String idempotencyToken,
                               JsonNode request) {

        public SubmittedRun {
            request = request.deepCopy();
        }

        /** The one-time run's first task; a missing node for a run of a job. */
        public JsonNode task() {
            return request.path("tasks").path(0);
        }
    }

    /**
     * Runs what a run runs, for the local host (a notebook or a Python file run on this machine); the stand-in calls
     * it once per run, on the request that starts it, and shows the run PENDING, then RUNNING until the outcome is
     * done. The outcome is the run's last step: TERMINATED with its result, INTERNAL_ERROR; completing it
     * exceptionally fails the run with the exception's message. A cancel cancels the outcome.
     */
    @FunctionalInterface
    public interface RunExecutor {
        /** Ends every run TERMINATED/SUCCESS at once. */
        RunExecutor SUCCEEDS = run -> CompletableFuture.completedFuture(StateStep.succeeded());

        /** Starts {@code run}, returning at once; its outcome completes when it is over. */
        CompletableFuture<StateStep> start(SubmittedRun run);
    }

    /** The steps of a run that is neither played a script nor over. */
    private static final List<StateStep> STARTING = List.of(StateStep.pending(), StateStep.running());
    private static final Pattern PATH = Pattern.compile("/api/2\\.[12]/jobs/(runs/submit|run-now|runs/get|runs/cancel)");
    private static final Pattern RUN_ID = Pattern.compile("(?:^|&)run_id=([^&]*)");

    private final Clock clock;
    private final Map<Long, LocalDatabricksRun> runs = new LinkedHashMap<>();
    private final Map<String, Long> tokens = new HashMap<>();
    private final Map<String, List<StateStep>> scripts = new HashMap<>();
    private final Map<Long, String> jobs = new HashMap<>();
    private final Deque<Function<Request, Answer>> next = new ArrayDeque<>();
    private RunExecutor executor = RunExecutor.SUCCEEDS;
    private long lastRunId = 1000;
    private long lastHiddenJobId = 900_000;

    /** A stand-in on a free port. */
    public LocalDatabricks() {
        this(0, Clock.systemUTC());
    }

    /** A stand-in on {@code port} (0: a free one), timing runs by {@code clock}. */
    public LocalDatabricks(int port, Clock clock) {
        super(port);
        this.clock = clock;
    }

    /** Runs from now on are run by {@code runs} (not those {@linkplain #play played} a script). */
    public synchronized LocalDatabricks executor(RunExecutor runs) {
        this.executor = Objects.requireNonNull(runs, "runs");
        return this;
    }

    /**
     * The run started with idempotency token (or else run name) {@code tokenOrName} goes through {@code steps}, one
     * per {@code runs/get}, and stays in the last; its executor is not called.
     */
    public synchronized LocalDatabricks play(String tokenOrName, StateStep... steps) {
        if (steps.length == 0) {
            throw new IllegalArgumentException("a script has one step at least");
        }
        scripts.put(tokenOrName, List.of(steps));
        return this;
    }

    /** Job {@code jobId}, named {@code name}, exists: {@code run-now} may run it. */
    public synchronized LocalDatabricks job(long jobId, String name) {
        jobs.put(jobId, name);
        return this;
    }

    /**
     * The next request that gets past the token check is answered by {@code answer} instead of the API (an error body
     * of the service's own, a page, an answer quoting the request); several are used in order.
     */
    public synchronized LocalDatabricks answerNext(Function<Request, Answer> answer) {
        next.add(answer);
        return this;
    }

    /** Every run started so far, in order. */
    public synchronized List<SubmittedRun> runs() {
        return runs.values().stream().map(LocalDatabricksRun::run).toList();
    }

    /** Run {@code runId}, if it was started. */
    public synchronized Optional<SubmittedRun> run(long runId) {
        return Optional.ofNullable(runs.get(runId)).map(LocalDatabricksRun::run);
    }

    @Override
    protected Answer route(Request request) {
        Function<Request, Answer> scripted;
        synchronized (this) {
            scripted = next.poll();
        }
        if (scripted != null) {
            return scripted.apply(request);
        }
        Matcher path = PATH.matcher(request.path());
        String endpoint = request.method() + " " + (path.matches() ? path.group(1) : request.path());
        try {
            return switch (endpoint) {
                case "POST runs/submit" -> submit(json(request));
                case "POST run-now" -> runNow(json(request));
                case "GET runs/get" -> get(runId(request.query()));
                case "POST runs/cancel" -> cancel(DatabricksRequestCheck.runId(json(request).path("run_id").asText("")));
                default -> error(404, "ENDPOINT_NOT_FOUND", "No API found for '" + request.method() + " "
                        + request.path() + "'");
            };
        } catch (Refusal refusal) {
            return error(refusal.status, refusal.code, refusal.getMessage());
        }
    }

    private static JsonNode json(Request request) {
        try {
            JsonNode body = Json.MAPPER.readTree(request.body());
            if (body == null || body.isMissingNode()) {
                throw new Refusal(400, "MALFORMED_REQUEST", "Invalid JSON given in the body of the request: empty");
            }
            return body;
        } catch (IOException e) {
            throw new Refusal(400, "MALFORMED_REQUEST", "Invalid JSON given in the body of the request: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static long runId(String query) {
        Matcher m = RUN_ID.matcher(query == null ? "" : query);
        return DatabricksRequestCheck.runId(m.find() ? m.group(1) : "");
    }

    private Answer submit(JsonNode body) {
        DatabricksRequestCheck.submit(body);
        String name = body.path("run_name").asText("Untitled");
        return start(body, "SUBMIT_RUN", name, null);
    }

    private Answer runNow(JsonNode body) {
        long jobId = DatabricksRequestCheck.runNow(body);
        String name;
        synchronized (this) {
            name = jobs.get(jobId);
        }
        if (name == null) {
            throw Refusal.invalid("Job " + jobId + " does not exist.");
        }
        return start(body, "JOB_RUN", name, jobId);
    }

    /** Starts a run, or finds the one its token started. */
    private synchronized Answer start(JsonNode body, String type, String name, Long jobId) {
        String token = body.hasNonNull("idempotency_token") ? body.get("idempotency_token").asText() : null;
        Long existing = token == null ? null : tokens.get(token);
        long runId;
        if (existing != null) {
            runId = existing;
        } else {
            runId = ++lastRunId;
            SubmittedRun run = new SubmittedRun(runId, jobId == null ? ++lastHiddenJobId : jobId, type, name, token,
                    body);
            List<StateStep> script = token != null && scripts.containsKey(token) ? scripts.get(token)
                    : scripts.get(name);
            runs.put(runId, script != null ? new LocalDatabricksRun(run, script, null, clock)
                    : new LocalDatabricksRun(run, STARTING, started(run), clock));
            if (token != null) {
                tokens.put(token, runId);
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("run_id", runId);
        if (type.equals("JOB_RUN")) {
            answer.put("number_in_job", runId);
        }
        return Answer.json(200, Json.compact(answer));
    }

    private CompletableFuture<StateStep> started(SubmittedRun run) {
        try {
            CompletableFuture<StateStep> outcome = executor.start(run);
            return outcome == null ? CompletableFuture.completedFuture(null) : outcome;
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(StateStep.internalError("the run could not be started: " + e));
        }
    }

    private Answer get(long runId) {
        LocalDatabricksRun life = life(runId);
        StateStep step = life.look();
        SubmittedRun run = life.run();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("life_cycle_state", step.lifeCycleState());
        if (step.resultState() != null) {
            state.put("result_state", step.resultState());
        }
        state.put("state_message", step.stateMessage());
        state.put("user_cancelled_or_timedout", "CANCELED".equals(step.resultState())
                || "TIMEDOUT".equals(step.resultState()));
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("task_key", run.task().path("task_key").asText(run.runName()));
        task.put("state", state);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("job_id", run.jobId());
        answer.put("run_id", runId);
        answer.put("number_in_job", runId);
        answer.put("creator_user_name", "tributary-local");
        answer.put("run_name", run.runName());
        answer.put("run_type", run.runType());
        answer.put("run_page_url", uri() + "/#job/" + run.jobId() + "/run/" + runId);
        answer.put("start_time", life.startTime());
        answer.put("end_time", life.endTime());
        answer.put("state", state);
        answer.put("tasks", List.of(task));
        return Answer.json(200, Json.compact(answer));
    }

    private Answer cancel(long runId) {
        life(runId).cancel();
        return Answer.json(200, "{}");
    }

    private synchronized LocalDatabricksRun life(long runId) {
        LocalDatabricksRun life = runs.get(runId);
        if (life == null) {
            throw Refusal.invalid("Run " + runId + " does not exist.");
        }
        return life;
    }

    @Override
    protected String errorBody(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code);
        body.put("message", message);
        return Json.compact(body);
    }

    /** Databricks' codes: 503 is TEMPORARILY_UNAVAILABLE, the rest as {@link StandInServer} writes them. */
    @Override
    protected String codeOf(int status) {
        return status == 503 ? "TEMPORARILY_UNAVAILABLE" : super.codeOf(status);
    }

    @Override
    public String toString() {
        return "local Databricks workspace at " + uri();
    }
}
