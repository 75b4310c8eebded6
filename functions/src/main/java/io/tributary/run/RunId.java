package io.tributary.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
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
 * The id of one run: {@code yyyyMMdd'T'HHmmss'Z'-<10 hex>}. The time sorts runs; the hash makes the id a pure
 * function of what started the run, so a trigger that fires twice for the same cause names the same run, and the
 * second firing finds it already started.
 *
 * <p>Every run id Tributary has ever made has this form, so a {@code RunId} always holds one; text from users,
 * URLs and storage becomes one through {@link #parse}. In JSON a run id is its plain text.
 *
 * @param text the id as it appears in blob names, messages and the API
 */
public record RunId(String text) implements Comparable<RunId> {

    /** The form of a run id, for messages that tell a user what to give. */
    public static final String FORM_DESCRIPTION =
            "yyyyMMdd'T'HHmmss'Z'-<10 hex digits>, such as 20261122T054000Z-3fa9c1d20b";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern FORM = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{10}");

    /** @throws IllegalArgumentException when {@code text} is not of the run id form; the message names it */
    public RunId {
        if (!isValid(text)) {
            throw new IllegalArgumentException("'" + text + "' is not a run id (" + FORM_DESCRIPTION + ")");
        }
    }

    /**
     * The run id {@code text} names.
     *
     * @throws IllegalArgumentException when {@code text} is null or not of the run id form
     */
    @JsonCreator
    public static RunId parse(String text) {
        return new RunId(text);
    }

    /** True when {@code text} is of the run id form; null is not. */
    public static boolean isValid(String text) {
        return text != null && FORM.matcher(text).matches();
    }

    /** The run of {@code pipeline} for one version of a dropped blob. */
    public static RunId forDrop(String pipeline, BlobRef blob, Instant lastModified) {
        return of(lastModified, "drop", pipeline, blob.container(), blob.name(), String.valueOf(blob.etag()));
    }

    /** The run of {@code pipeline} for one occurrence of its schedule. */
    public static RunId forSchedule(String pipeline, Instant occurrence) {
        return of(occurrence, "schedule", pipeline, occurrence.toString());
    }

    /** The run of {@code pipeline} for one manual request. */
    public static RunId forRequest(String pipeline, String requestId, Instant requestedAt) {
        return of(requestedAt, "request", pipeline, requestId);
    }

    /**
     * The run of {@code pipeline} that reads the dataset committed by run {@code upstream} (of another pipeline)
     * at {@code committedAt}: the same commit, however often its store is delivered, names the same run.
     */
    public static RunId forDataset(String pipeline, RunId upstream, Instant committedAt) {
        return of(committedAt, "dataset", pipeline, upstream.text());
    }

    /** The id's text, which is also its JSON form. */
    @Override
    @JsonValue
    public String text() {
        return text;
    }

    /** Run ids order by the time they start with (then by hash), as their text does. */
    @Override
    public int compareTo(RunId other) {
        return text.compareTo(other.text);
    }

    /** The id's text, so a run id reads the same in messages, logs and blob names. */
    @Override
    public String toString() {
        return text;
    }

    private static RunId of(Instant time, String... cause) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : cause) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 10);
            return new RunId(TIME.format(time.truncatedTo(ChronoUnit.SECONDS)) + "-" + hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
