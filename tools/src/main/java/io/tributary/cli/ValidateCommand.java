package io.tributary.cli;

import io.tributary.definition.PipelineCatalog;
import io.tributary.definition.read.Problem;
import io.tributary.engine.SqlCheck;
import io.tributary.run.PrintableText;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** {@code tributary validate [PATH...]}: every problem in the definitions, as {@code file:line:col: /pointer: message}. */
final class ValidateCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    ValidateCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        Args args = new Args(arguments, Set.of(), Set.of());
        List<Path> files = new ArrayList<>();
        List<String> paths = args.positionals().isEmpty()
                ? List.of(workspace.pipelineDefs().toString()) : args.positionals();
        for (String path : paths) {
            Path p = Path.of(path);
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    list.filter(f -> f.toString().endsWith(".json")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                throw new UsageException("no such file or folder: " + path);
            }
        }
        PipelineCatalog catalog = PipelineCatalog.load(files, new SqlCheck(), workspace.definitionAccess());
        for (Problem problem : catalog.problems()) {
            out.println(PrintableText.escape(problem.format()));
        }
        long broken = catalog.problems().stream().map(Problem::file).distinct().count();
        out.println(files.size() + " definition" + (files.size() == 1 ? "" : "s") + " checked: "
                + catalog.all().size() + " valid, " + broken + " with problems (" + catalog.problems().size()
                + " problem" + (catalog.problems().size() == 1 ? "" : "s") + ")");
        return catalog.problems().isEmpty() ? 0 : 1;
    }
}
