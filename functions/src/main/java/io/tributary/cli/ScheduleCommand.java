package io.tributary.cli;

import io.tributary.definition.Ncrontab;
import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.PipelineDefinition;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** {@code tributary schedule [PIPELINE | --cron EXPR] [--after TIME] --next N}: when a schedule fires. */
final class ScheduleCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    ScheduleCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of(), Set.of("cron", "after", "next"));
        String expression;
        if (args.option("cron").isPresent()) {
            expression = args.option("cron").get();
        } else {
            PipelineDefinition pipeline = workspace.catalog().get(args.single("pipeline or --cron EXPR"));
            expression = pipeline.schedule().orElseThrow(() -> new IllegalArgumentException("pipeline '"
                    + pipeline.name() + "' has no schedule; add \"schedule\": {\"cron\": \"0 0 2 * * *\"}")).cron();
        }
        Ncrontab cron = Ncrontab.parse(expression);
        long count = args.number("next", 5);
        ZonedDateTime cursor;
        try {
            cursor = args.option("after").map(t -> Instant.parse(t).atZone(ZoneOffset.UTC))
                    .orElse(ZonedDateTime.now(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            throw new UsageException("--after needs an ISO-8601 instant such as 2026-11-22T06:00:00Z");
        }
        for (int i = 0; i < count; i++) {
            var next = cron.next(cursor);
            if (next.isEmpty()) {
                break;
            }
            cursor = next.get();
            out.println(cursor.toInstant());
        }
        return 0;
    }
}
