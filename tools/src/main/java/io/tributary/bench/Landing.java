package io.tributary.bench;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.run.BlobRef;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The bench's side of the storage account: drops files into the landing container (by upload, or by a
 * server-side copy of a staged blob, so several drops land within milliseconds), waits for each run's
 * {@code _manifest.json}, and copies bytes through the account as a plain client would.
 */
final class Landing {

    static final String STAGING = "bench-staging";
    static final String COPIES = "bench-copies";
    private static final Duration POLL = Duration.ofMillis(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobServiceClient service;
    private final BlobContainerClient landing;
    private final BlobContainerClient training;
    private final BlobContainerClient runs;
    private final BlobContainerClient staging;
    private final BlobContainerClient copies;

    Landing(String connectionString) {
        service = new BlobServiceClientBuilder().connectionString(connectionString).buildClient();
        landing = container(RunLayout.LANDING);
        training = container(RunLayout.TRAINING);
        runs = container(RunLayout.RUNS);
        staging = container(STAGING);
        copies = container(COPIES);
    }

    private BlobContainerClient container(String name) {
        BlobContainerClient container = service.getBlobContainerClient(name);
        container.createIfNotExists();
        return container;
    }

    /** A file dropped for {@code pipeline}: the run it starts, and when the drop landed. */
    record Drop(String pipeline, String name, RunId runId, long bytes, long droppedNanos) {
    }

    /** Uploads {@code file} as {@code landing/name}: the drop lands when the upload commits. */
    Drop drop(String pipeline, String name, Path file) {
        BlobClient blob = landing.getBlobClient(name);
        blob.uploadFromFile(file.toString(), true);
        return dropped(pipeline, blob, System.nanoTime());
    }

    /** Uploads {@code file} where no pipeline listens, for {@link #dropStaged} to drop later. */
    void stage(String name, Path file) {
        staging.getBlobClient(name).uploadFromFile(file.toString(), true);
    }

    /** Drops the staged blob {@code staged} as {@code landing/name}, by a copy inside the account. */
    Drop dropStaged(String pipeline, String staged, String name) {
        BlobClient blob = landing.getBlobClient(name);
        blob.beginCopy(staging.getBlobClient(staged).getBlobUrl(), POLL).waitForCompletion(Duration.ofMinutes(5));
        return dropped(pipeline, blob, System.nanoTime());
    }

    private Drop dropped(String pipeline, BlobClient blob, long at) {
        BlobProperties properties = blob.getProperties();
        RunId runId = RunId.forDrop(pipeline, new BlobRef(RunLayout.LANDING, blob.getBlobName(), properties.getETag()),
                properties.getLastModified().toInstant());
        return new Drop(pipeline, blob.getBlobName(), runId, properties.getBlobSize(), at);
    }

    /**
     * Waits until the drop's run has committed ({@code _manifest.json} exists); returns {@link System#nanoTime()}
     * then. A run that fails, or does not commit within {@code timeout}, is an {@link IllegalStateException}.
     */
    long awaitCommit(Drop drop, Duration timeout) {
        BlobClient manifest = training.getBlobClient(RunLayout.manifest(drop.pipeline(), drop.runId()));
        BlobClient outcome = runs.getBlobClient(RunLayout.outcome(drop.runId()));
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int polls = 0; ; polls++) {
            if (manifest.exists()) {
                return System.nanoTime();
            }
            if (polls % 25 == 24 && outcome.exists()) {
                JsonNode ended = readJson(outcome);
                if ("failed".equals(ended.path("status").asText())) {
                    throw new IllegalStateException("run " + drop.runId() + " of " + drop.pipeline() + " ended "
                            + ended.path("status").asText() + ": " + ended.path("error").asText());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + drop.runId() + " of " + drop.pipeline() + " (landing/"
                        + drop.name() + ") did not commit within " + timeout.toSeconds() + " s");
            }
            sleep(POLL);
        }
    }

    /** Downloads {@code landing/name} and uploads the same bytes as another blob, both as streams. */
    long copy(String name) {
        BlobClient source = landing.getBlobClient(name);
        BlobClient target = copies.getBlobClient(name);
        try (InputStream in = source.openInputStream();
             OutputStream out = target.getBlockBlobClient().getBlobOutputStream(true)) {
            return in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(BlobClient blob) {
        try {
            return JSON.readTree(blob.downloadContent().toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
