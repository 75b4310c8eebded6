package io.tributary.lineage;

import io.tributary.run.BlobRef;
import io.tributary.run.FetchRecord;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunRecord;
import io.tributary.run.SecretMask;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the lineage of one run: what it read (its blob or the API requests or SQL query it fetched, the lookup
 * references, the parent datasets), the dataset it committed, and the pipelines that consume that dataset with the
 * run each commit started; parent datasets are followed upstream, each to its own run and sources.
 */
public final class LineageBuilder {

    /** Parents further upstream than this are not followed (a chain of definitions is acyclic; this guards data). */
    static final int MAX_DEPTH = 32;

    private final LineageSource source;

    public LineageBuilder(LineageSource source) {
        this.source = source;
    }

    /**
     * The lineage of {@code runId} of {@code pipeline}, or of the pipeline's newest committed run when {@code runId}
     * is empty.
     *
     * @throws IllegalArgumentException when there is no such run, or no committed run to default to
     */
    public LineageGraph build(String pipeline, Optional<RunId> runId) {
        RunId run = runId.or(() -> source.latest(pipeline)).orElseThrow(() -> new IllegalArgumentException(
                "pipeline '" + pipeline + "' has no committed run yet; name a run: " + pipeline + "/RUN_ID"));
        RunRecord record = source.record(run).orElseThrow(() -> new IllegalArgumentException("no run " + run
                + "; 'tributary runs' lists them"));
        if (!record.pipeline().equals(pipeline)) {
            throw new IllegalArgumentException("run " + run + " is a run of " + record.pipeline() + ", not of "
                    + pipeline + "; ask for " + record.pipeline() + "/" + run);
        }
        LineageGraph.Builder graph = new LineageGraph.Builder();
        Optional<Manifest> manifest = upstream(graph, record, 0);
        jobs(graph, record, manifest);
        manifest.ifPresent(m -> downstream(graph, m));
        return graph.build();
    }

    /** Adds the run, what it read, and its dataset if committed; follows its parents. */
    private Optional<Manifest> upstream(LineageGraph.Builder graph, RunRecord record, int depth) {
        String run = runNode(graph, record);
        Optional<Manifest> manifest = source.manifest(record.pipeline(), record.runId());
        if (manifest.isPresent()) {
            Manifest m = manifest.get();
            for (Manifest.Parent parent : m.parents()) {
                String dataset = parentDataset(graph, parent, depth);
                graph.edge(dataset, run, "read by");
            }
            if (m.parents().isEmpty()) {
                inputs(graph, run, m.source(), m.fetched());
            }
            for (BlobRef reference : m.references()) {
                graph.edge(blobNode(graph, reference), run, "lookup");
            }
            graph.edge(run, datasetNode(graph, m), "committed");
        } else if (record.upstream() != null) {
            graph.edge(parentDataset(graph, new Manifest.Parent(record.upstream().pipeline(), record.upstream().runId(),
                    record.source(), null), depth), run, "read by");
        } else {
            inputs(graph, run, record.source(), null);
        }
        return manifest;
    }

    /** A parent dataset's node, with its run and sources upstream of it. */
    private String parentDataset(LineageGraph.Builder graph, Manifest.Parent parent, int depth) {
        Optional<Manifest> committed = source.manifest(parent.pipeline(), parent.runId());
        String id = committed.map(m -> datasetNode(graph, m)).orElseGet(() -> graph.node(new LineageGraph.Node(
                datasetId(parent.pipeline(), parent.runId()), "dataset", "dataset " + parent.pipeline() + "/"
                + parent.runId(), Map.of("pipeline", parent.pipeline(), "runId", parent.runId().text()))));
        if (depth < MAX_DEPTH && !graph.has(runId(parent.runId()))) {
            source.record(parent.runId()).ifPresent(r -> upstream(graph, r, depth + 1));
        }
        return id;
    }

    /**
     * The jobs the run's steps ran on distributed engines: the transform's ran for the run, each job after the commit
     * used its dataset. Each names its compute, workspace, external id, the code it ran, its state and its page.
     */
    private void jobs(LineageGraph.Builder graph, RunRecord record, Optional<Manifest> manifest) {
        String run = runId(record.runId());
        for (io.tributary.run.JobRecord job : source.jobs(record.runId())) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("step", job.step());
            detail.put("attempt", job.attempt());
            detail.put("compute", job.handle().compute());
            detail.put("workspace", job.handle().workspace());
            detail.put("externalId", job.handle().id());
            detail.put("code", job.code());
            detail.put("state", job.state().state());
            detail.put("phase", job.state().phase().text());
            detail.put("link", job.state().link());
            String id = graph.node(new LineageGraph.Node("job:" + record.runId() + "/" + job.step() + "-"
                    + job.attempt(), "job", "job " + job.step() + (job.attempt() == 1 ? "" : " attempt " + job.attempt())
                    + " on " + job.handle().compute() + " (" + job.code() + ", " + job.handle().id() + ": "
                    + job.state().phase().text() + ")", detail));
            if (job.index() == 0) {
                graph.edge(run, id, "ran");
            } else {
                graph.edge(manifest.map(m -> datasetId(m.pipeline(), m.runId())).orElse(run), id, "used by");
            }
        }
    }

    /** The pipelines that consume the dataset, and the run each started from this commit, when it exists. */
    private void downstream(LineageGraph.Builder graph, Manifest manifest) {
        String dataset = datasetId(manifest.pipeline(), manifest.runId());
        for (String consumer : source.consumers(manifest.pipeline())) {
            String pipeline = graph.node(new LineageGraph.Node("pipeline:" + consumer, "pipeline", "pipeline "
                    + consumer, Map.of("trigger", "dataset " + manifest.pipeline())));
            graph.edge(dataset, pipeline, "triggers");
            RunId started = RunId.forDataset(consumer, manifest.runId(), manifest.committedAt());
            source.record(started).ifPresent(r -> {
                String run = runNode(graph, r);
                graph.edge(pipeline, run, "started");
                source.manifest(consumer, started).ifPresent(m -> graph.edge(run, datasetNode(graph, m), "committed"));
            });
        }
    }

    private void inputs(LineageGraph.Builder graph, String run, BlobRef blob, FetchRecord fetched) {
        if (fetched != null) {
            FetchRecord.WatermarkRange range = fetched.watermark();
            for (int i = 0; i < fetched.requests().size(); i++) {
                // A manifest shows its requests masked; one written before Tributary masked them is masked here.
                String text = SecretMask.URLS.mask(fetched.requests().get(i));
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("text", text);
                detail.put("records", fetched.records());
                if (range != null) {
                    detail.put("cursor", range.cursor());
                    detail.put("after", range.low());
                    detail.put("upTo", range.high());
                    detail.put("fullRefresh", range.fullRefresh());
                }
                boolean sql = fetched.kind().equals("sql");
                String id = graph.node(new LineageGraph.Node((sql ? "query:" : "request:") + run.substring(4) + "/" + i,
                        sql ? "query" : "request", (sql ? "query " : "request ") + text + watermark(range), detail));
                graph.edge(id, run, "fetched by");
            }
            return;
        }
        if (blob != null) {
            graph.edge(blobNode(graph, blob), run, "read by");
        }
    }

    private static String watermark(FetchRecord.WatermarkRange range) {
        if (range == null) {
            return "";
        }
        return " (" + range.cursor() + " after " + (range.low() == null ? "the start" : range.low()) + " up to "
                + range.high() + ")";
    }

    private static String runNode(LineageGraph.Builder graph, RunRecord record) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("pipeline", record.pipeline());
        detail.put("trigger", record.trigger());
        detail.put("startedAt", String.valueOf(record.startedAt()));
        detail.put("definitionHash", record.definitionHash());
        if (!record.parameters().isEmpty()) {
            detail.put("parameters", record.parameters());
        }
        return graph.node(new LineageGraph.Node(runId(record.runId()), "run", "run " + record.pipeline() + "/"
                + record.runId(), detail));
    }

    /**
     * The dataset a run committed: its own folder, or, for a table output, the version of the pipeline's Delta table
     * that holds the run (a consumer of the dataset read that version).
     */
    private static String datasetNode(LineageGraph.Builder graph, Manifest m) {
        Map<String, Object> detail = new LinkedHashMap<>();
        Manifest.TableVersion table = m.table();
        String label;
        if (table == null) {
            detail.put("path", "training/" + m.pipeline() + "/" + m.runId() + "/");
            label = "dataset training/" + m.pipeline() + "/" + m.runId() + "/ (" + m.rows().out() + " rows)";
        } else {
            detail.put("path", table.path());
            detail.put("tableVersion", table.version());
            detail.put("tableMode", table.mode());
            detail.put("filesAdded", table.filesAdded());
            detail.put("filesRemoved", table.filesRemoved());
            detail.put("rowsAdded", table.rowsAdded());
            detail.put("rowsRemoved", table.rowsRemoved());
            label = "table " + table.path() + " version " + table.version() + " (" + table.mode() + " of "
                    + m.rows().out() + " rows by run " + m.runId() + ")";
        }
        detail.put("rows", m.rows().out());
        detail.put("rejected", m.rows().rejected());
        detail.put("committedAt", String.valueOf(m.committedAt()));
        detail.put("definitionHash", m.definitionHash());
        detail.put("appVersion", m.appVersion());
        return graph.node(new LineageGraph.Node(datasetId(m.pipeline(), m.runId()), "dataset", label, detail));
    }

    private static String blobNode(LineageGraph.Builder graph, BlobRef blob) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("container", blob.container());
        detail.put("name", blob.name());
        detail.put("etag", blob.etag());
        return graph.node(new LineageGraph.Node("blob:" + blob.container() + "/" + blob.name() + "@" + blob.etag(),
                "blob", "blob " + blob, detail));
    }

    private static String runId(RunId runId) {
        return "run:" + runId;
    }

    private static String datasetId(String pipeline, RunId runId) {
        return "dataset:" + pipeline + "/" + runId;
    }
}
