package io.tributary.cli;

import io.tributary.run.Json;
import io.tributary.run.RunRecord;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code tributary runs [--json]}: every run, newest first, with its state. */
final class RunsCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    RunsCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of("json"), Set.of());
        Session session = Session.open(workspace);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunRecord record : session.history().runs()) {
            var status = session.history().status(record.runId()).orElseThrow();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("runId", record.runId());
            row.put("pipeline", record.pipeline());
            row.put("trigger", record.trigger());
            row.put("state", status.state());
            row.put("startedAt", record.startedAt());
            status.manifest().ifPresent(m -> row.put("rows", m.rows()));
            rows.add(row);
        }
        if (args.flag("json")) {
            out.println(new String(Json.bytes(rows), StandardCharsets.UTF_8));
            return 0;
        }
        if (rows.isEmpty()) {
            out.println("No runs yet. Drop a file ('tributary drop FILE') or run 'tributary demo'.");
            return 0;
        }
        out.printf("%-28s %-16s %-9s %-10s %s%n", "run", "pipeline", "trigger", "state", "rows in/out/rejected");
        for (Map<String, Object> row : rows) {
            Object counts = row.get("rows");
            String rowCounts = counts instanceof io.tributary.run.Manifest.Rows r
                    ? r.in() + "/" + r.out() + "/" + r.rejected() : "";
            out.printf("%-28s %-16s %-9s %-10s %s%n", row.get("runId"), row.get("pipeline"), row.get("trigger"),
                    row.get("state"), rowCounts);
        }
        return 0;
    }
}
