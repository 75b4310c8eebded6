package io.tributary.stage;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.step.LookupStep;
import io.tributary.port.BlobStore;
import io.tributary.port.SourceChangedException;
import io.tributary.run.BlobRef;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Downloads the lookup references of a run, each at the version the run pinned, for the engine to join. */
final class ReferenceFiles {

    private final BlobStore blobs;

    ReferenceFiles(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Downloads each lookup's reference ({@code pinned}, in step order) into {@code work}; by engine table name. */
    Map<String, Path> download(PipelineDefinition definition, List<BlobRef> pinned, Path work) {
        List<LookupStep> lookups = definition.lookups();
        if (lookups.size() != pinned.size()) {
            throw new IllegalStateException("the run pinned " + pinned.size() + " lookup references "
                    + "but its definition has " + lookups.size() + " lookup steps");
        }
        Map<String, Path> files = new HashMap<>();
        for (int i = 0; i < lookups.size(); i++) {
            LookupStep lookup = lookups.get(i);
            Path file = work.resolve(lookup.table() + lookup.extension());
            try {
                blobs.download(pinned.get(i), file);
            } catch (SourceChangedException e) {
                throw new SourceChangedException("the lookup reference '" + lookup.from() + "' was changed or deleted "
                        + "after the run was planned, so its chunks could join different rows; start the run again", e);
            }
            files.put(lookup.table(), file);
        }
        return files;
    }
}
