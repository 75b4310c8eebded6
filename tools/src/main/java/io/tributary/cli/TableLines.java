package io.tributary.cli;

import io.tributary.run.Manifest;

/** How the command line describes a run's table version. */
final class TableLines {

    private TableLines() {
    }

    /** One line: the version a run committed, and what it added and removed. */
    static String committed(Manifest.TableVersion table) {
        return "version " + table.version() + " of table " + table.path() + " (" + table.mode() + "): "
                + rows(table.rowsAdded()) + " in " + files(table.filesAdded()) + " added"
                + (table.filesRemoved() == 0 ? "" : ", " + rows(table.rowsRemoved()) + " in "
                + files(table.filesRemoved()) + " removed"
                + (table.mode().equals("merge") ? " (rewritten: only the files that held a changed key)" : ""));
    }

    private static String rows(long n) {
        return String.format(java.util.Locale.ROOT, "%,d row%s", n, n == 1 ? "" : "s");
    }

    private static String files(int n) {
        return n + " file" + (n == 1 ? "" : "s");
    }
}
