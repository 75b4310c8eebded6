package io.tributary.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Run ids: {@code yyyyMMdd'T'HHmmss'Z'-<10 hex>}. The time sorts runs; the hash makes the id a pure
 * function of what started the run, so a trigger that fires twice for the same cause names the same
 * run, and the second firing finds it already started.
 */
public final class RunId {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern FORM = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{10}");

    private RunId() {
    }

    /** The run of {@code pipeline} for one version of a dropped blob. */
    public static String forDrop(String pipeline, BlobRef blob, Instant lastModified) {
        return of(lastModified, "drop", pipeline, blob.container(), blob.name(), String.valueOf(blob.etag()));
    }

    /** The run of {@code pipeline} for one occurrence of its schedule. */
    public static String forSchedule(String pipeline, Instant occurrence) {
        return of(occurrence, "schedule", pipeline, occurrence.toString());
    }

    /** The run of {@code pipeline} for one manual request. */
    public static String forRequest(String pipeline, String requestId, Instant requestedAt) {
        return of(requestedAt, "request", pipeline, requestId);
    }

    /**
     * The run of {@code pipeline} that reads the dataset committed by run {@code upstreamRunId} (of another pipeline)
     * at {@code committedAt}: the same commit, however often its store is delivered, names the same run.
     */
    public static String forDataset(String pipeline, String upstreamRunId, Instant committedAt) {
        return of(committedAt, "dataset", pipeline, upstreamRunId);
    }

    public static boolean isValid(String runId) {
        return runId != null && FORM.matcher(runId).matches();
    }

    private static String of(Instant time, String... cause) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : cause) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 10);
            return TIME.format(time.truncatedTo(ChronoUnit.SECONDS)) + "-" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
