package io.tributary.cli;

import io.tributary.definition.PipelineDefinition;
import io.tributary.run.BlobRef;
import io.tributary.run.RunLayout;
import io.tributary.start.ManualRuns;
import io.tributary.start.RunStarter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code tributary run PIPELINE [--input FILE] [--param k=v]… [--full-refresh] [--wait]}: starts a run by hand; a
 * running host carries it out.
 */
final class RunCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    RunCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("wait", "full-refresh"), Set.of("input", "timeout", "param"));
        Duration timeout = args.seconds("timeout", 600);
        PipelineDefinition pipeline = workspace.catalog().get(args.single("pipeline"));
        Map<String, String> parameters = parameters(args.all("param"));
        try {
            ManualRuns.requireUsed(pipeline, parameters.keySet());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Session session = Session.open(workspace);
        String requestId = UUID.randomUUID().toString();
        Optional<BlobRef> input = Optional.empty();
        if (args.option("input").isPresent()) {
            Path file = Path.of(args.option("input").get());
            if (!Files.isRegularFile(file)) {
                throw new UsageException("no such file: " + file);
            }
            String name = "inputs/" + requestId + "/" + file.getFileName();
            session.blobs().upload(RunLayout.RUNS, name, file);
            input = Optional.of(new BlobRef(RunLayout.RUNS, name,
                    session.blobs().properties(RunLayout.RUNS, name).orElseThrow().etag()));
        }
        ManualRuns.Outcome outcome;
        try {
            outcome = session.manual().start(pipeline,
                    new ManualRuns.Request(requestId, parameters, args.flag("full-refresh"), input));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        List<RunStarter.Started> started = outcome.runs().stream().filter(RunStarter.Started::isNew).toList();
        if (started.size() == 1 && outcome.runs().size() == 1) {
            out.println("Started run " + started.get(0).runId() + " of " + pipeline.name() + " " + outcome.explanation()
                    + (parameters.isEmpty() ? "" : " with " + parameters));
        } else {
            out.println(pipeline.name() + ": " + outcome.explanation());
            started.forEach(r -> out.println("  started run " + r.runId()));
        }
        if (started.isEmpty()) {
            return 0;
        }
        if (!args.flag("wait")) {
            out.println("A running host ('tributary host') carries " + (started.size() == 1 ? "it" : "them")
                    + " out; follow with: tributary status " + started.get(0).runId());
            return 0;
        }
        boolean allCommitted = true;
        for (RunStarter.Started run : started) {
            allCommitted &= RunWaiter.follow(session, run.runId(), timeout, out, Set.of());
        }
        return allCommitted ? 0 : 1;
    }

    /** {@code k=v} pairs, in order; a malformed one is a usage error. */
    static Map<String, String> parameters(List<String> pairs) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--param needs NAME=VALUE, e.g. --param region=emea; got '" + pair + "'");
            }
            String name = pair.substring(0, eq);
            if (!ManualRuns.PARAMETER_NAME.matcher(name).matches()) {
                throw new UsageException("--param " + pair + ": '" + name + "' is not a parameter name (letters, "
                        + "digits and '_', starting with a letter or '_')");
            }
            parameters.put(name, pair.substring(eq + 1));
        }
        return parameters;
    }
}
