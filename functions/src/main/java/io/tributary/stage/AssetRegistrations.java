package io.tributary.stage;

import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.output.AzureMlOutput;
import io.tributary.port.DataAssetException;
import io.tributary.port.DataAssetVersion;
import io.tributary.port.DataAssets;
import io.tributary.run.Alert;
import io.tributary.run.AssetRegistration;
import io.tributary.run.Json;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registers a committed table version as Azure Machine Learning data assets, one per split, each pointing at the
 * split's {@code MLTable} (which reads the table at that version) and tagged with the run, the version and the
 * manifest's hash. A failure never undoes the commit: one a later delivery may get past is left to it; otherwise, or
 * on the last delivery, it is recorded in the run's folder and alerted.
 */
final class AssetRegistrations {

    private static final java.util.logging.Logger LOG = io.tributary.run.LogContext.logger(AssetRegistrations.class);

    private final RunStore runs;
    private final DataAssets assets;
    private final Clock clock;

    /** @param assets the workspace's data assets, or {@link DataAssets#NONE} when the app has no workspace */
    AssetRegistrations(RunStore runs, DataAssets assets, Clock clock) {
        this.runs = runs;
        this.assets = assets;
        this.clock = clock;
    }

    /**
     * Registers {@code manifest}'s table version if its definition asks for it and no earlier delivery did.
     *
     * @throws DataAssetException when it failed, a later delivery may succeed, and this is not the last attempt
     */
    void register(Manifest manifest, PipelineDefinition definition, byte[] manifestBytes, boolean lastAttempt) {
        Optional<AzureMlOutput> target = definition.output().azureMlOutput();
        if (target.isEmpty() || manifest.table() == null) {
            return;
        }
        String record = RunLayout.registration(manifest.runId());
        if (runs.blobs().read(RunLayout.RUNS, record).isPresent()) {
            return;
        }
        List<DataAssetVersion> versions = versions(manifest, definition, target.get(), manifestBytes);
        List<String> labels = versions.stream().map(DataAssetVersion::label).toList();
        if (assets == DataAssets.NONE) {
            failed(manifest, labels, "the app has no Azure Machine Learning workspace: set the app setting "
                    + "TRIBUTARY_AZUREML_WORKSPACE_ID (infra/README.md, 'Azure Machine Learning'), or remove "
                    + "output.azureml from the definition");
            return;
        }
        try {
            for (DataAssetVersion version : versions) {
                assets.register(version);
            }
        } catch (DataAssetException e) {
            if (e.retryable() && !lastAttempt) {
                throw e;
            }
            failed(manifest, labels, e.getMessage());
            return;
        }
        runs.blobs().createIfAbsent(RunLayout.RUNS, record, Json.bytes(new AssetRegistration("registered", labels,
                null, clock.instant())));
    }

    private void failed(Manifest manifest, List<String> labels, String why) {
        LOG.warning("run " + manifest.runId() + " committed version " + manifest.table().version() + ", but its data "
                + "assets " + labels + " are not registered: " + why);
        if (runs.blobs().createIfAbsent(RunLayout.RUNS, RunLayout.registration(manifest.runId()),
                Json.bytes(new AssetRegistration("failed", labels, why, clock.instant())))) {
            runs.alerts().raise(new Alert(Alert.REGISTRATION_FAILED, manifest.pipeline(), manifest.runId(), Stage.STORE,
                    -1, "Run " + manifest.runId() + " of pipeline " + manifest.pipeline() + " committed version "
                    + manifest.table().version() + " of its table, but the data assets " + String.join(", ", labels)
                    + " could not be registered: " + why, clock.instant()));
        }
    }

    /** One data asset version per split of the run's table version. */
    private static List<DataAssetVersion> versions(Manifest manifest, PipelineDefinition definition,
                                                   AzureMlOutput target, byte[] manifestBytes) {
        List<DataAssetVersion> versions = new ArrayList<>();
        for (String mlTable : manifest.mlTables()) {
            String split = mlTable.substring(0, mlTable.indexOf('/'));
            String folder = RunLayout.datasetFolder(manifest.pipeline(), manifest.runId()) + split + "/";
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("tributary.pipeline", manifest.pipeline());
            tags.put("tributary.runId", manifest.runId().text());
            tags.put("tributary.tableVersion", Long.toString(manifest.table().version()));
            tags.put("tributary.manifestSha256", sha256(manifestBytes));
            tags.put("tributary.split", split);
            versions.add(new DataAssetVersion(definition.split().isPresent() ? target.asset() + "-" + split
                    : target.asset(), Long.toString(manifest.table().version()),
                    URI.create("azureml://datastores/" + target.datastore() + "/paths/" + folder),
                    "Split " + split + " of " + manifest.pipeline() + "'s table at version " + manifest.table().version()
                            + ", committed by run " + manifest.runId(), tags));
        }
        return versions;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
