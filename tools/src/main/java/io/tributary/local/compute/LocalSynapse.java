package io.tributary.local.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.run.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Synapse workspace's Spark batch API (Livy's batches) on the loopback address, as the published spec and the Java
 * SDK's recorded traffic describe it:
 * <ul>
 *   <li>{@code POST /livyApi/versions/{v}/sparkPools/{pool}/batches}: a {@code SparkBatchJobOptions} body, {@code name}
 *   and {@code file} required (else 400), at most 100 kB (else 400); 200 with the new batch, {@code not_started};</li>
 *   <li>{@code GET …/batches?from=&size=&detailed=}: {@code {"from", "total", "sessions"}} in ascending id, {@code size}
 *   20 by default and at most (else 400), {@code total} the pool's number of batches as Apache Livy counts it (or, with
 *   {@link #totalIsPageLength}, the page's length, as the spec's words may be read);</li>
 *   <li>{@code GET …/batches/{id}?detailed=}: the batch; each GET moves it one step along its {@link Script}
 *   afterwards;</li>
 *   <li>{@code DELETE …/batches/{id}}: 200 with no body; a batch not over yet is {@code killed}/{@code Cancelled}.</li>
 * </ul>
 * With {@code detailed=true} a batch is Synapse's envelope (name, tags, result, livyInfo, schedulerInfo, errorInfo,
 * …); without, plain Livy's {@code {id, appId, appInfo, state, log}}. Any Livy API version is taken; a doubled slash
 * before {@code batches} too, as the service takes it. A pool it does not know answers 404, an unknown batch 404.
 * Errors are Synapse's flat {@code {"code", "message"}}.
 *
 * <p>Batch ids count from 0 per pool. A batch shows its script's states in turn, from the submit's answer on, and moves
 * one step after each {@code GET} of it (the default: {@code not_started}, {@code starting}, {@code running}, then
 * {@code success}); at the last state it waits for its {@link BatchExecutor}, whose result is how it ends. The default executor ends it as its
 * script says; the local host can give one that runs the batch's code on this machine.
 */
public final class LocalSynapse extends StandInServer {

    private static final Pattern ROUTE = Pattern.compile(
            "/livyApi/versions/([^/]+)/sparkPools/([^/]+)/+batches(?:/([^/]+))?/?");
    private static final int PAGE_MAX = 20;
    private static final int PAYLOAD_MAX = 100 * 1024;

    /**
     * How a batch ends: its final Livy state, Synapse's result, for a failure its errors ({@code errorInfo}), and the
     * last lines of its Livy log.
     */
    public record Ending(String state, String result, List<String> errors, List<String> log) {
        public Ending {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(result, "result");
            errors = errors == null ? List.of() : List.copyOf(errors);
            log = log == null ? List.of() : List.copyOf(log);
        }

        /** {@code success}, {@code Succeeded}. */
        public static Ending success() {
            return new Ending("success", "Succeeded", List.of(), List.of());
        }

        /** {@code dead}, {@code Failed}, with {@code errorInfo} of these messages. */
        public static Ending dead(String... errors) {
            return new Ending("dead", "Failed", List.of(errors), List.of());
        }

        /** {@code error}, {@code Failed}, with {@code errorInfo} of these messages. */
        public static Ending error(String... errors) {
            return new Ending("error", "Failed", List.of(errors), List.of());
        }

        /** {@code killed}, {@code Cancelled}: killed other than through this API (in Synapse Studio). */
        public static Ending killed() {
            return new Ending("killed", "Cancelled", List.of(), List.of());
        }

        /** This ending with these last lines of the Livy log. */
        public Ending withLog(String... lines) {
            return new Ending(state, result, errors, List.of(lines));
        }
    }

    /**
     * The states a batch shows in turn, the first in its submit's answer and its first {@code GET}'s, the next after
     * each {@code GET}; then its ending, or, when {@code ending} is null, the last state until it is cancelled.
     */
    public record Script(List<String> states, Ending ending) {
        public Script {
            states = List.copyOf(states);
            if (states.isEmpty()) {
                throw new IllegalArgumentException("a script has at least one state");
            }
        }

        /** {@code not_started}, {@code starting}, {@code running}, then {@code success}. */
        public static final Script SUCCEEDS = new Script(List.of("not_started", "starting", "running"),
                Ending.success());

        /** {@code not_started}, {@code starting}, {@code running}, then {@code ending}. */
        public static Script endsAs(Ending ending) {
            return new Script(SUCCEEDS.states(), ending);
        }

        /** These states, then {@code ending}. */
        public static Script of(Ending ending, String... states) {
            return new Script(List.of(states), ending);
        }

        /** {@code not_started}, {@code starting}, {@code running}, until it is cancelled. */
        public static Script runsUntilCancelled() {
            return new Script(SUCCEEDS.states(), null);
        }
    }

    /** A batch as it was submitted: what an executor runs. */
    public record SubmittedBatch(String pool, int id, String name, String file, String className, List<String> args,
                                 List<String> jars, List<String> pyFiles, List<String> files,
                                 Map<String, String> conf, Map<String, String> tags, Script script) {
    }

    /**
     * Runs a submitted batch: the seam through which the local host runs a batch's code on this machine. Called once
     * per batch, at its submit, on the server's thread: it starts the work and returns at once. The batch ends as the
     * returned future completes (exceptionally: {@code dead}, with the exception's message); a cancel cancels the
     * future.
     */
    @FunctionalInterface
    public interface BatchExecutor {
        CompletableFuture<Ending> start(SubmittedBatch batch);

        /** Ends each batch as its script says, at once; never, for a script without an ending. */
        BatchExecutor SCRIPTED = batch -> batch.script().ending() == null ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(batch.script().ending());
    }

    /** One batch and where it stands. */
    private static final class Batch {
        final SubmittedBatch submitted;
        final JsonNode request;
        final CompletableFuture<Ending> run;
        final Instant submittedAt;
        int step;
        Ending ended;
        Instant endedAt;
        Instant cancelledAt;

        Batch(SubmittedBatch submitted, JsonNode request, CompletableFuture<Ending> run, Instant submittedAt) {
            this.submitted = submitted;
            this.request = request;
            this.run = run;
            this.submittedAt = submittedAt;
        }

        String state() {
            return ended != null ? ended.state() : submitted.script().states().get(step);
        }

        String result() {
            return ended != null ? ended.result() : "Uncertain";
        }
    }

    private final String workspace;
    private final Set<String> pools;
    private final Clock clock;
    private final Map<String, List<Batch>> batches = new TreeMap<>();
    private final Deque<Script> scripts = new ArrayDeque<>();
    private Script defaultScript = Script.SUCCEEDS;
    private BatchExecutor executor = BatchExecutor.SCRIPTED;
    private boolean totalIsPageLength;
    private Integer quoteToken;

    /**
     * @param port      the port, 0 for any
     * @param workspace the workspace's name, as batches say it
     * @param pools     the Spark pools it has
     */
    public LocalSynapse(int port, String workspace, Set<String> pools) {
        this(port, workspace, pools, Clock.systemUTC());
    }

    public LocalSynapse(int port, String workspace, Set<String> pools, Clock clock) {
        super(port);
        this.workspace = workspace;
        this.pools = Set.copyOf(pools);
        this.clock = clock;
    }

    /** The scripts the next batches submitted follow, in order; later ones follow the default. */
    public synchronized void script(Script... next) {
        scripts.addAll(List.of(next));
    }

    /** The script batches follow when no script is queued. */
    public synchronized void defaultScript(Script script) {
        this.defaultScript = script;
    }

    /** The executor batches submitted from now on run with. */
    public synchronized void executor(BatchExecutor executor) {
        this.executor = executor;
    }

    /** Whether a list's {@code total} is the page's length (the spec's reading) rather than the pool's count. */
    public synchronized void totalIsPageLength(boolean pageLength) {
        this.totalIsPageLength = pageLength;
    }

    /**
     * Answers the next request whose token it accepts with {@code status} and an error message that quotes the
     * request's {@code Authorization} header, as a careless service or proxy might: what a client must never repeat.
     */
    public synchronized void quoteTokenInNextError(int status) {
        this.quoteToken = status;
    }

    /** Adds {@code count} batches that others submitted and that are over, named {@code other-N}, without tags. */
    public synchronized void preload(String pool, int count) {
        for (int i = 0; i < count; i++) {
            List<Batch> list = batches.computeIfAbsent(pool, p -> new ArrayList<>());
            int id = list.size();
            String file = "abfss://jobs@lake.dfs.core.windows.net/other.py";
            ObjectNode request = Json.MAPPER.createObjectNode().put("name", "other-" + id).put("file", file);
            SubmittedBatch submitted = new SubmittedBatch(pool, id, "other-" + id, file, null, List.of(), List.of(),
                    List.of(), List.of(), Map.of(), Map.of(), Script.SUCCEEDS);
            Batch batch = new Batch(submitted, request, CompletableFuture.completedFuture(Ending.success()),
                    clock.instant());
            batch.ended = Ending.success();
            batch.endedAt = clock.instant();
            list.add(batch);
        }
    }

    /** The batches submitted to {@code pool}, in id order. */
    public synchronized List<SubmittedBatch> batches(String pool) {
        return batches.getOrDefault(pool, List.of()).stream().map(b -> b.submitted).toList();
    }

    /** The state batch {@code id} of {@code pool} shows now, without moving it. */
    public synchronized String state(String pool, int id) {
        return batches.get(pool).get(id).state();
    }

    @Override
    protected synchronized Answer route(Request request) {
        if (quoteToken != null) {
            int status = quoteToken;
            quoteToken = null;
            return error(status, codeOf(status), "The request's header is not valid: " + request.authorization());
        }
        Matcher m = ROUTE.matcher(request.path());
        if (!m.matches()) {
            return error(404, "NotFound", "There is no API at " + request.path() + ".");
        }
        String pool = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        if (!pools.contains(pool)) {
            return error(404, "SparkPoolNotFound", "The Spark pool '" + pool + "' does not exist in workspace '"
                    + workspace + "'.");
        }
        Map<String, String> query = query(request.query());
        boolean detailed = "true".equalsIgnoreCase(query.get("detailed"));
        String id = m.group(3);
        if (id == null) {
            return switch (request.method()) {
                case "POST" -> submit(pool, request.body(), detailed);
                case "GET" -> list(pool, query, detailed);
                default -> error(405, "MethodNotAllowed", request.method() + " is not allowed on batches.");
            };
        }
        Batch batch = find(pool, id);
        if (batch == null) {
            return error(404, "NotFound", "Batch " + id + " was not found in Spark pool '" + pool + "'.");
        }
        return switch (request.method()) {
            case "GET" -> {
                String view = Json.compact(view(batch, detailed));
                advance(batch);
                yield ok(view);
            }
            case "DELETE" -> {
                cancel(batch);
                yield new Answer(200, "", Map.of("retry-after", "0"));
            }
            default -> error(405, "MethodNotAllowed", request.method() + " is not allowed on a batch.");
        };
    }

    private Answer submit(String pool, String body, boolean detailed) {
        if (body.getBytes(StandardCharsets.UTF_8).length > PAYLOAD_MAX) {
            return error(400, "BadRequest", "The request is larger than the maximum payload size for Livy requests "
                    + "(100 kB).");
        }
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return error(400, "BadRequest", "The request body is not valid JSON.");
        }
        if (request == null || !request.isObject()) {
            return error(400, "BadRequest", "The request body must be a SparkBatchJobOptions object.");
        }
        for (String required : List.of("name", "file")) {
            if (!request.path(required).isTextual() || request.path(required).asText().isBlank()) {
                return error(400, "BadRequest", "The property '" + required + "' is required.");
            }
        }
        String invalid = invalid(request);
        if (invalid != null) {
            return error(400, "BadRequest", invalid);
        }
        List<Batch> list = batches.computeIfAbsent(pool, p -> new ArrayList<>());
        Script script = scripts.isEmpty() ? defaultScript : scripts.poll();
        SubmittedBatch submitted = new SubmittedBatch(pool, list.size(), request.path("name").asText(),
                request.path("file").asText(), request.hasNonNull("className") ? request.path("className").asText()
                : null, texts(request.path("args")), texts(request.path("jars")), texts(request.path("pyFiles")),
                texts(request.path("files")), map(request.path("conf")), map(request.path("tags")), script);
        CompletableFuture<Ending> run;
        try {
            run = executor.start(submitted);
        } catch (RuntimeException e) {
            run = CompletableFuture.failedFuture(e);
        }
        Batch batch = new Batch(submitted, request, run, clock.instant());
        list.add(batch);
        return ok(Json.compact(view(batch, detailed)));
    }

    /** What is wrong with the optional properties' types, or null. */
    private static String invalid(JsonNode request) {
        for (String list : List.of("args", "jars", "pyFiles", "files", "archives")) {
            JsonNode node = request.get(list);
            if (node != null && !node.isNull() && (!node.isArray() || !allText(node))) {
                return "The property '" + list + "' must be an array of strings.";
            }
        }
        for (String map : List.of("conf", "tags")) {
            JsonNode node = request.get(map);
            if (node != null && !node.isNull() && (!node.isObject() || !allText(node))) {
                return "The property '" + map + "' must be an object of strings.";
            }
        }
        for (String number : List.of("driverCores", "executorCores", "numExecutors")) {
            JsonNode node = request.get(number);
            if (node != null && !node.isNull() && !node.canConvertToInt()) {
                return "The property '" + number + "' must be an integer.";
            }
        }
        return null;
    }

    private static boolean allText(JsonNode node) {
        for (JsonNode value : node) {
            if (!value.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private Answer list(String pool, Map<String, String> query, boolean detailed) {
        int from;
        int size;
        try {
            from = Integer.parseInt(query.getOrDefault("from", "0"));
            size = Integer.parseInt(query.getOrDefault("size", String.valueOf(PAGE_MAX)));
        } catch (NumberFormatException e) {
            return error(400, "BadRequest", "The parameters 'from' and 'size' must be integers.");
        }
        if (from < 0 || size < 1 || size > PAGE_MAX) {
            return error(400, "BadRequest", "The parameter 'size' must be between 1 and " + PAGE_MAX
                    + ", and 'from' not negative.");
        }
        List<Batch> all = batches.getOrDefault(pool, List.of());
        List<Object> page = new ArrayList<>();
        for (int i = from; i < Math.min(all.size(), from + size); i++) {
            page.add(view(all.get(i), detailed));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("total", totalIsPageLength ? page.size() : all.size());
        body.put("sessions", page);
        return ok(Json.compact(body));
    }

    private Batch find(String pool, String id) {
        List<Batch> list = batches.getOrDefault(pool, List.of());
        try {
            int index = Integer.parseInt(id);
            return index >= 0 && index < list.size() ? list.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One step along the batch's script; from its last state, to its ending once the executor gives one. */
    private void advance(Batch batch) {
        if (batch.ended != null) {
            return;
        }
        if (batch.step < batch.submitted.script().states().size() - 1) {
            batch.step++;
            return;
        }
        if (batch.run.isDone()) {
            batch.ended = ending(batch.run);
            batch.endedAt = clock.instant();
        }
    }

    private static Ending ending(CompletableFuture<Ending> run) {
        try {
            Ending ending = run.get();
            return ending == null ? Ending.success() : ending;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Ending.dead("The batch failed: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Ending.dead("The batch was interrupted.");
        } catch (java.util.concurrent.CancellationException e) {
            return Ending.killed();
        }
    }

    private void cancel(Batch batch) {
        if (batch.ended != null) {
            return;
        }
        batch.run.cancel(true);
        batch.ended = Ending.killed();
        batch.cancelledAt = clock.instant();
        batch.endedAt = batch.cancelledAt;
    }

    /** The batch as the service describes it: Synapse's envelope when detailed, else plain Livy's. */
    private Map<String, Object> view(Batch batch, boolean detailed) {
        SubmittedBatch s = batch.submitted;
        String state = batch.state();
        boolean started = !state.equals("not_started") && !state.equals("starting");
        Map<String, Object> appInfo = new LinkedHashMap<>();
        appInfo.put("driverLogUrl", started ? uri() + "/local-spark/" + s.pool() + "/" + s.id() + "/driverlog" : null);
        appInfo.put("sparkUiUrl", started ? uri() + "/local-spark/" + s.pool() + "/" + s.id() + "/sparkui" : null);
        String appId = started ? "application_local_" + s.pool() + "_" + s.id() : null;
        List<String> log = batch.ended == null ? List.of() : batch.ended.log();
        Map<String, Object> view = new LinkedHashMap<>();
        if (!detailed) {
            view.put("id", s.id());
            view.put("appId", appId);
            view.put("appInfo", appInfo);
            view.put("state", state);
            view.put("log", log);
            return view;
        }
        Map<String, Object> livyInfo = new LinkedHashMap<>();
        livyInfo.put("notStartedAt", batch.submittedAt.toString());
        livyInfo.put("successAt", state.equals("success") ? String.valueOf(batch.endedAt) : null);
        livyInfo.put("deadAt", state.equals("dead") || state.equals("error") ? String.valueOf(batch.endedAt) : null);
        livyInfo.put("killedAt", state.equals("killed") ? String.valueOf(batch.endedAt) : null);
        livyInfo.put("currentState", state);
        livyInfo.put("jobCreationRequest", creationRequest(batch.request));
        Map<String, Object> scheduler = new LinkedHashMap<>();
        scheduler.put("submittedAt", batch.submittedAt.toString());
        scheduler.put("endedAt", batch.endedAt == null ? null : batch.endedAt.toString());
        scheduler.put("cancellationRequestedAt", batch.cancelledAt == null ? null : batch.cancelledAt.toString());
        scheduler.put("currentState", batch.ended != null ? "Ended" : state.equals("not_started") ? "Queued"
                : "Scheduled");
        List<Map<String, String>> errorInfo = new ArrayList<>();
        if (batch.ended != null) {
            for (String message : batch.ended.errors()) {
                errorInfo.add(Map.of("message", message, "errorCode", "LIVY_JOB_STATE_" + state.toUpperCase(
                        java.util.Locale.ROOT), "source", "User"));
            }
        }
        view.put("livyInfo", livyInfo);
        view.put("name", s.name());
        view.put("workspaceName", workspace);
        view.put("sparkPoolName", s.pool());
        view.put("submitterName", "local");
        view.put("artifactId", "Livy");
        view.put("jobType", "SparkBatch");
        view.put("result", batch.result());
        view.put("schedulerInfo", scheduler);
        view.put("pluginInfo", Map.of("currentState", batch.ended != null ? "Ended" : started ? "Monitoring"
                : "Preparation"));
        view.put("errorInfo", errorInfo);
        view.put("tags", s.tags());
        view.put("id", s.id());
        view.put("appId", appId);
        view.put("appInfo", appInfo);
        view.put("state", state);
        view.put("log", log);
        return view;
    }

    /** The request as {@code livyInfo.jobCreationRequest} echoes it: without its tags and artifact id. */
    private static JsonNode creationRequest(JsonNode request) {
        ObjectNode echo = request.deepCopy();
        echo.remove("tags");
        echo.remove("artifactId");
        return echo;
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        node.forEach(value -> texts.add(value.asText()));
        return List.copyOf(texts);
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue().asText()));
        return java.util.Collections.unmodifiableMap(map);
    }

    private static Map<String, String> query(String raw) {
        return io.tributary.local.QueryString.parse(raw);
    }

    private static Answer ok(String body) {
        // The service sends retry-after: 0 on its successful answers too; it is not throttling.
        return new Answer(200, body, Map.of("retry-after", "0"));
    }

    @Override
    protected String errorBody(int status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return Json.compact(body);
    }

    @Override
    protected String codeOf(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "AuthenticationFailed";
            case 403 -> "Unauthorized";
            case 404 -> "NotFound";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> "InternalServerError";
        };
    }
}
