package io.tributary.cli;

import io.tributary.local.Azurite;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code tributary stop}: stops the embedded Azurite (its data stays in .tributary/). */
final class StopCommand implements Main.Command {

    private final Workspace workspace;
    private final PrintStream out;

    StopCommand(Workspace workspace, PrintStream out) {
        this.workspace = workspace;
        this.out = out;
    }

    @Override
    public int run(List<String> arguments) {
        new Args(arguments, Set.of(), Set.of());
        out.println(Azurite.stopEmbedded(workspace.stateDir())
                ? "Stopped the embedded Azurite; its data stays in " + workspace.stateDir().resolve("azurite")
                : "The embedded Azurite was not running.");
        return 0;
    }
}
