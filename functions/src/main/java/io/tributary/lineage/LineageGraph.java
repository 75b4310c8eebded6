package io.tributary.lineage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a dataset came from and where it goes: its sources (blobs, API requests, SQL queries), the runs that read
 * them, the datasets they committed, and the pipelines that consume those datasets, upstream through every parent
 * dataset. Nodes and edges keep the order they were added in, so a graph renders the same way each time.
 *
 * @param nodes each node once
 * @param edges from one node's id to another's
 */
public record LineageGraph(List<Node> nodes, List<Edge> edges) {

    public static final List<String> KINDS = List.of("blob", "request", "query", "run", "dataset", "pipeline", "job");

    public LineageGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /**
     * One thing in the lineage.
     *
     * @param id     unique in the graph: {@code kind:…} ({@code run:20261122T…}, {@code dataset:orders/20261122T…})
     * @param kind   one of {@link #KINDS}
     * @param label  what a person reads
     * @param detail further facts (ETag, rows, watermark range, …), by name
     */
    public record Node(String id, String kind, String label, Map<String, Object> detail) {
        public Node {
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("unknown node kind '" + kind + "'; one of " + KINDS);
            }
            detail = detail == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
        }
    }

    /** {@code from} led to {@code to}: read by, committed, triggers, … */
    public record Edge(String from, String to, String label) {
    }

    /** The node of {@code id}, or null. */
    public Node node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElse(null);
    }

    /** Builds a graph, each node and edge once. */
    public static final class Builder {

        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final List<Edge> edges = new ArrayList<>();

        /** Adds {@code node} unless a node of its id is there already; returns its id. */
        public String node(Node node) {
            nodes.putIfAbsent(node.id(), node);
            return node.id();
        }

        public boolean has(String id) {
            return nodes.containsKey(id);
        }

        public void edge(String from, String to, String label) {
            Edge edge = new Edge(from, to, label);
            if (!edges.contains(edge)) {
                edges.add(edge);
            }
        }

        public LineageGraph build() {
            return new LineageGraph(List.copyOf(nodes.values()), edges);
        }
    }
}
