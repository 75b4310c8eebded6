package io.tributary.cli;

import io.tributary.lineage.LineageBuilder;
import io.tributary.lineage.LineageGraph;
import io.tributary.lineage.LineageText;
import io.tributary.run.Json;
import io.tributary.run.RunId;
import io.tributary.history.RunQueries;
import io.tributary.history.StoredLineage;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tributary lineage PIPELINE[/RUN_ID] [--format text|mermaid|json] [--json]}: where a dataset came from and
 * which pipelines consume it (default: the pipeline's latest committed run).
 */
final class LineageCommand implements Main.Command {

    static final List<String> FORMATS = List.of("text", "mermaid", "json");

    private final Workspace workspace;
    private final PrintStream out;

    LineageCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("json"), Set.of("format"));
        if (args.positionals().size() != 1) {
            throw new UsageException("expected PIPELINE[/RUN_ID]");
        }
        String format = args.flag("json") ? "json" : args.option("format").orElse("text");
        if (!FORMATS.contains(format)) {
            throw new UsageException("unknown format '" + format + "'; one of " + String.join(", ", FORMATS));
        }
        String[] target = args.positionals().get(0).split("/", 2);
        if (target.length == 2 && !RunId.isValid(target[1])) {
            throw new UsageException("'" + target[1] + "' is not a run id");
        }
        Optional<RunId> runId = target.length == 2 ? Optional.of(RunId.parse(target[1])) : Optional.empty();
        Session session = Session.open(workspace);
        new RunQueries(session.runs()).requirePipeline(workspace.catalog(), target[0]);
        LineageGraph graph = new LineageBuilder(new StoredLineage(session.runs(), workspace::catalog))
                .build(target[0], runId);
        out.print(switch (format) {
            case "mermaid" -> LineageText.mermaid(graph);
            case "json" -> Json.compact(graph) + "\n";
            default -> LineageText.text(graph);
        });
        return 0;
    }
}
