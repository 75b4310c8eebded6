package io.tributary.stage;

import io.tributary.run.RunId;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkOutput;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import io.tributary.run.ChunkResult;
import io.tributary.run.RunLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Uploads what the engine wrote for one chunk or key bucket into the run's dataset folder, where commit finds it. */
final class PartUploads {

    private final BlobStore blobs;

    PartUploads(BlobStore blobs) {
        this.blobs = blobs;
    }

    /**
     * Uploads {@code output}'s parts as piece {@code index} of the run's dataset and its rejects as {@code rejects}
     * (a training blob name); says what was uploaded.
     */
    ChunkResult upload(PipelineDefinition definition, RunId runId, int index, ChunkOutput output, String rejects,
                       List<BlobRef> references) {
        List<ChunkResult.Part> parts = new ArrayList<>();
        Map<String, Integer> perFolder = new HashMap<>();
        for (ChunkOutput.Part part : output.parts()) {
            int n = perFolder.merge(part.split() + "/" + part.partition(), 1, Integer::sum) - 1;
            String blob = writesTable(definition)
                    ? RunLayout.tablePart(definition.name(), runId, definition.split().isPresent() ? part.split() : null,
                            part.partition(), index, n, definition.output().extension())
                    : RunLayout.dataPart(definition.name(), runId, part.split(), part.partition(), index, n,
                            definition.output().extension());
            long bytes = blobs.upload(RunLayout.TRAINING, blob, part.file());
            parts.add(new ChunkResult.Part(part.split(), blob, part.rows(), bytes));
        }
        boolean anyRejected = output.rowsRejected() > 0;
        if (anyRejected) {
            blobs.upload(RunLayout.TRAINING, rejects, output.rejects());
        }
        return new ChunkResult(index, output.rowsIn(), output.rowsOut(), output.rowsRejected(), output.schema(), parts,
                anyRejected ? rejects : null, output.expectations(), output.statistics(), references);
    }

    /**
     * Whether a run of {@code definition} writes its parts straight into its pipeline's table (append, overwrite);
     * a merge stages them in the run's folder, and commits the files it rewrites from them.
     */
    static boolean writesTable(PipelineDefinition definition) {
        return definition.output().tableOutput()
                .filter(t -> t.mode() != io.tributary.definition.output.TableOutput.Mode.MERGE).isPresent();
    }
}
