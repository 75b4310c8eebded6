package io.tributary.start;

import io.tributary.run.RunState;
import io.tributary.definition.PipelineDefinition;
import io.tributary.port.BlobInfo;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.stage.RunStore;
import io.tributary.stage.SourceFetch;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Starts runs asked for by hand (the command line, the HTTP API). What a run reads follows from the pipeline:
 * the file given with the request; else the API or database it fetches; else its {@code source.blob}; else, for a
 * file-drop pipeline, every file in its landing path not loaded yet (one run per file, the same run its drop
 * starts, so a file loaded once is skipped by name and ETag; one whose run failed is tried again), or every one of
 * them again with a full refresh.
 */
public final class ManualRuns {

    /** What a parameter's name may be: a name that URLs ({@code {name}}) and queries ({@code :name}) can use. */
    public static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final RunStarter starter;
    private final RunStore runs;
    private final BlobStore blobs;
    private final Clock clock;

    /**
     * @param starter starts the runs
     * @param runs    the runs it starts, read to know whether a file's run failed; its blob store holds the requests
     */
    public ManualRuns(RunStarter starter, RunStore runs, Clock clock) {
        this.starter = starter;
        this.runs = runs;
        this.blobs = runs.blobs();
        this.clock = clock;
    }

    /**
     * A request for a run.
     *
     * @param requestId   names the request: asking twice with one id starts one run
     * @param parameters  the run's parameters
     * @param fullRefresh whether an incremental pipeline reads everything again, and a file-drop pipeline every file
     * @param input       a blob the run reads instead of the pipeline's source, if given
     */
    public record Request(String requestId, Map<String, String> parameters, boolean fullRefresh,
                          Optional<BlobRef> input) {

        /** Checks the request's size and shape ({@link RunRequestLimits}) before any of its run is written. */
        public Request {
            RunRequestLimits.checkRequestId(requestId);
            RunRequestLimits.checkParameters(parameters);
            parameters = Map.copyOf(parameters);
        }
    }

    /** What a request started: its runs, new or found started already, and a line for people. */
    public record Outcome(List<RunStarter.Started> runs, String explanation) {
    }

    /**
     * Starts the runs {@code request} asks of {@code pipeline}.
     *
     * @throws IllegalArgumentException when the pipeline has nothing a manual run could read
     * @throws IllegalStateException    when its {@code source.blob} does not exist
     */
    public Outcome start(PipelineDefinition pipeline, Request request) {
        requireUsed(pipeline, request.parameters().keySet());
        Map<String, String> parameters = new HashMap<>(request.parameters());
        if (request.fullRefresh()) {
            parameters.put(SourceFetch.FULL_REFRESH, "true");
        }
        RunId runId = runIdFor(pipeline, request.requestId());
        if (request.input().isPresent()) {
            BlobRef input = request.input().get();
            return one(starter.start(pipeline, runId, input, "manual", parameters), "over " + input.container() + "/"
                    + input.name());
        }
        if (pipeline.fetched().isPresent()) {
            String kind = pipeline.fetched().get().kind();
            return one(starter.start(pipeline, runId, null, "manual", parameters), "fetching from its "
                    + (kind.equals("rest") ? "REST API" : "SQL database")
                    + (pipeline.incremental().isEmpty() ? "" : request.fullRefresh()
                    ? " (full refresh: from the start)" : " (incremental: after the last committed high-water mark)"));
        }
        if (pipeline.sourceBlob().isPresent()) {
            BlobRef source = blobs.current(pipeline.sourceBlob().get()).orElseThrow(() -> new IllegalStateException(
                    "the source " + pipeline.sourceBlob().get() + " of pipeline '" + pipeline.name()
                            + "' does not exist; upload it ('tributary upload FILE " + pipeline.sourceBlob().get()
                            + "') or give the data with --input FILE"));
            return one(starter.start(pipeline, runId, source, "manual", parameters), "over "
                    + pipeline.sourceBlob().get());
        }
        if (pipeline.fileDrop().isPresent()) {
            return landed(pipeline, request, parameters);
        }
        if (pipeline.dataset().isPresent()) {
            return latestDataset(pipeline, runId);
        }
        throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' has no source a run could read by "
                + "itself; give the data with --input FILE");
    }

    /**
     * Refuses parameters the pipeline does not refer to: a run would ignore them, and a misspelt name would silently
     * leave the one meant unset.
     *
     * @throws IllegalArgumentException naming the unused parameters and those the pipeline uses
     */
    public static void requireUsed(PipelineDefinition pipeline, java.util.Set<String> given) {
        java.util.SortedSet<String> used = pipeline.parameterNames();
        List<String> unused = given.stream().filter(name -> !used.contains(name)).sorted().toList();
        if (unused.isEmpty()) {
            return;
        }
        String hint = unused.size() == 1 ? io.tributary.definition.read.Suggestions.didYouMean(unused.get(0), used) : "";
        throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' does not use the parameter"
                + (unused.size() == 1 ? " '" + unused.get(0) + "'" : "s '" + String.join("', '", unused) + "'") + hint
                + "; " + (used.isEmpty() ? "it uses none (a REST source refers to one as {name} in its url or headers, "
                + "a SQL query as :name, a landing path captures one as {name})"
                : "it uses " + String.join(", ", used)));
    }

    /** A run over the newest dataset the pipeline's upstream committed, recorded as its parent. */
    private Outcome latestDataset(PipelineDefinition pipeline, RunId runId) {
        String upstream = pipeline.dataset().get().pipeline();
        io.tributary.run.LatestPointer latest = blobs.read(RunLayout.TRAINING, RunLayout.latest(upstream))
                .map(v -> io.tributary.run.Json.read(v.content(), io.tributary.run.LatestPointer.class))
                .orElseThrow(() -> new IllegalStateException("pipeline '" + pipeline.name() + "' reads the datasets "
                        + "of '" + upstream + "', which has committed none yet; run '" + upstream + "' first, or give "
                        + "the data with --input FILE"));
        String manifest = RunLayout.manifest(upstream, latest.runId());
        BlobRef source = blobs.current(RunLayout.TRAINING + "/" + manifest).orElseThrow(() -> new IllegalStateException(
                "the latest dataset of '" + upstream + "' (" + RunLayout.TRAINING + "/" + manifest + ") is gone"));
        return one(starter.start(pipeline, runId, source, "manual", Map.of(), null,
                new io.tributary.run.RunRecord.Upstream(upstream, latest.runId())), "over the latest dataset of "
                + upstream + ", run " + latest.runId());
    }

    /** One run per file in the pipeline's landing path: those not loaded yet, or all with a full refresh. */
    private Outcome landed(PipelineDefinition pipeline, Request request, Map<String, String> parameters) {
        String glob = pipeline.fileDrop().get().path();
        String prefix = glob.substring(0, staticPrefixEnd(glob));
        List<RunStarter.Started> runs = new ArrayList<>();
        int empty = 0;
        for (String name : blobs.list(RunLayout.LANDING, prefix)) {
            if (!pipeline.fileDrop().get().matches(name)) {
                continue;
            }
            Optional<BlobInfo> info = blobs.properties(RunLayout.LANDING, name);
            if (info.isEmpty()) {
                continue;
            }
            if (info.get().size() == 0 && !pipeline.fileDrop().get().runsOnEmptyFiles()) {
                empty++;
                continue;
            }
            BlobRef source = new BlobRef(RunLayout.LANDING, name, info.get().etag());
            RunId runId = request.fullRefresh()
                    ? runIdFor(pipeline, request.requestId() + "/" + name)
                    : unlessFailed(pipeline, RunId.forDrop(pipeline.name(), source, info.get().lastModified()));
            // The path's captures are run parameters, as they are for the file's drop; those given by hand win.
            Map<String, String> withCaptures = new HashMap<>(pipeline.fileDrop().get().match(name).orElse(Map.of()));
            withCaptures.putAll(parameters);
            runs.add(starter.start(pipeline, runId, source, "manual", withCaptures));
        }
        long started = runs.stream().filter(RunStarter.Started::isNew).count();
        String where = RunLayout.LANDING + "/" + glob;
        String skipped = empty == 0 ? "" : "; " + empty + " empty file" + (empty == 1 ? "" : "s") + " skipped";
        String explanation;
        if (runs.isEmpty()) {
            explanation = "no file in " + where + skipped + "; drop one there ('tributary drop FILE') or give the "
                    + "data with --input FILE";
        } else if (started == 0) {
            explanation = "every file in " + where + " (" + files(runs.size()) + ") is loaded already, so nothing "
                    + "started; --full-refresh loads them again" + skipped;
        } else if (request.fullRefresh()) {
            explanation = "over " + (runs.size() == 1 ? "the" : "each of the") + " " + files(runs.size()) + " in "
                    + where + " (full refresh)" + skipped;
        } else {
            explanation = "over " + (started == 1 ? "the" : "each of the") + " " + started + " new file"
                    + (started == 1 ? "" : "s") + " in " + where + (started == runs.size() ? ""
                    : " (" + (runs.size() - started) + " loaded already)") + skipped;
        }
        return new Outcome(runs, explanation);
    }

    /**
     * The run a request names: the first time, a new id (the time of the request and its id); again, the id the
     * first time chose, which a create-only record of the request keeps.
     */
    private RunId runIdFor(PipelineDefinition pipeline, String requestId) {
        RunId runId = RunId.forRequest(pipeline.name(), requestId, clock.instant());
        String record = RunLayout.request(pipeline.name(), requestId);
        if (blobs.createIfAbsent(RunLayout.STATE, record, runId.text().getBytes(StandardCharsets.UTF_8))) {
            return runId;
        }
        byte[] kept = blobs.read(RunLayout.STATE, record).orElseThrow().content();
        return RunId.parse(new String(kept, StandardCharsets.UTF_8));
    }

    /**
     * The run that loads a file version: its drop's run, unless that failed, then the retry of that run (a run id
     * a request record keeps, so every sweep finds the same retry), and so on: a file whose run failed is tried
     * again by the next sweep, once, and one whose run committed is never loaded twice.
     */
    private RunId unlessFailed(PipelineDefinition pipeline, RunId runId) {
        RunId current = runId;
        while (runs.outcome(current).filter(o -> o.status() == RunState.FAILED).isPresent()) {
            current = runIdFor(pipeline, "retry of " + current);
        }
        return current;
    }

    private static String files(int n) {
        return n + " file" + (n == 1 ? "" : "s");
    }

    private static Outcome one(RunStarter.Started run, String what) {
        return new Outcome(List.of(run), what);
    }

    /** Where the glob's first wildcard is: names under the part before it are the candidates. */
    private static int staticPrefixEnd(String glob) {
        int wildcard = glob.length();
        for (char c : new char[] {'*', '?', '{', '['}) {
            int at = glob.indexOf(c);
            if (at >= 0) {
                wildcard = Math.min(wildcard, at);
            }
        }
        return glob.lastIndexOf('/', wildcard - 1) + 1;
    }
}
