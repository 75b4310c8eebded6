package io.tributary.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a {@link LineageGraph} for people ({@link #text}) and as a Mermaid flowchart ({@link #mermaid}). */
public final class LineageText {

    private LineageText() {
    }

    /**
     * Each node with what leads to it and where it leads, in the graph's order, each edge read from the node's side:
     * <pre>
     * run orders/20261122T073242Z-a3f6fba34e
     *   ← reads: blob landing/orders/orders.csv (ETag 0x1)
     *   → committed: dataset training/orders/20261122T073242Z-a3f6fba34e/ (235 rows)
     * </pre>
     */
    public static String text(LineageGraph graph) {
        StringBuilder out = new StringBuilder();
        for (LineageGraph.Node node : graph.nodes()) {
            out.append(node.label()).append('\n');
            for (LineageGraph.Edge edge : graph.edges()) {
                if (edge.to().equals(node.id())) {
                    out.append("  ← ").append(INVERSE.getOrDefault(edge.label(), "from " + edge.label())).append(": ").append(graph.node(edge.from()).label())
                            .append('\n');
                }
            }
            for (LineageGraph.Edge edge : graph.edges()) {
                if (edge.from().equals(node.id())) {
                    out.append("  → ").append(edge.label()).append(": ").append(graph.node(edge.to()).label())
                            .append('\n');
                }
            }
        }
        return out.toString();
    }

    /**
     * A Mermaid flowchart, left to right: nodes {@code n0}, {@code n1}, … in the graph's order, shaped by kind (a
     * dataset a cylinder, a run a rounded box, a pipeline a subroutine, a source a parallelogram), every label
     * quoted with its quotes and angle brackets escaped as entity codes.
     */
    public static String mermaid(LineageGraph graph) {
        List<String> ids = new ArrayList<>();
        graph.nodes().forEach(n -> ids.add(n.id()));
        StringBuilder out = new StringBuilder("flowchart LR\n");
        for (int i = 0; i < graph.nodes().size(); i++) {
            LineageGraph.Node node = graph.nodes().get(i);
            String[] shape = SHAPES.get(node.kind());
            out.append("  n").append(i).append(shape[0]).append('"').append(escape(node.label())).append('"')
                    .append(shape[1]).append('\n');
        }
        for (LineageGraph.Edge edge : graph.edges()) {
            out.append("  n").append(ids.indexOf(edge.from())).append(" -->|\"").append(escape(edge.label()))
                    .append("\"| n").append(ids.indexOf(edge.to())).append('\n');
        }
        return out.toString();
    }

    /** An edge's label read from its far end: the blob is "read by" the run, so the run "reads" the blob. */
    private static final Map<String, String> INVERSE = Map.of(
            "read by", "reads",
            "fetched by", "fetches",
            "lookup", "looks up",
            "committed", "committed by",
            "triggers", "triggered by",
            "started", "started by",
            "ran", "ran for",
            "used by", "uses");

    private static final Map<String, String[]> SHAPES = Map.of(
            "blob", new String[] {"[/", "/]"},
            "request", new String[] {"[/", "/]"},
            "query", new String[] {"[/", "/]"},
            "run", new String[] {"(", ")"},
            "dataset", new String[] {"[(", ")]"},
            "pipeline", new String[] {"[[", "]]"},
            "job", new String[] {"{{", "}}"});

    /** Text safe inside a quoted Mermaid label: quotes, angle brackets and {@code #} as entity codes, one line. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '#' -> out.append("#35;");
                case '"' -> out.append("#quot;");
                case '<' -> out.append("#lt;");
                case '>' -> out.append("#gt;");
                case '\n', '\r' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
