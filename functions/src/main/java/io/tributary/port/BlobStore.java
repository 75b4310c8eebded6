package io.tributary.port;

import io.tributary.run.BlobRef;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The blob storage the stages use. Implementations stream: no method holds a whole data blob in memory.
 * Small JSON documents (records, reports, manifests) are passed as bytes.
 */
public interface BlobStore {

    /** Properties of one blob, or empty when it does not exist. */
    Optional<BlobInfo> properties(String container, String name);

    /** The current version of the blob {@code reference} names ({@code container/path}), or empty when it does not exist. */
    default Optional<BlobRef> current(String reference) {
        String[] blob = reference.split("/", 2);
        return properties(blob[0], blob[1]).map(info -> new BlobRef(blob[0], blob[1], info.etag()));
    }

    /**
     * Streams bytes {@code [offset, offset + length)} of exactly the version {@code blob.etag()} into
     * {@code target}.
     *
     * @throws SourceChangedException when the blob has changed or gone since that version
     */
    default void download(BlobRef blob, long offset, long length, Path target) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
            download(blob, offset, length, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Streams bytes {@code [offset, offset + length)} of exactly the version {@code blob.etag()} into {@code target},
     * which stays open.
     *
     * @throws SourceChangedException when the blob has changed or gone since that version
     */
    void download(BlobRef blob, long offset, long length, OutputStream target);

    /**
     * Streams all of exactly the version {@code blob.etag()} into {@code target}.
     *
     * @throws SourceChangedException when the blob has changed or gone since that version
     */
    default void download(BlobRef blob, Path target) {
        download(blob, 0, WHOLE, target);
    }

    /** A {@code length} that reads to the blob's end. */
    long WHOLE = Long.MAX_VALUE;

    /** Uploads a file, replacing any blob of that name. Returns the bytes written. */
    long upload(String container, String name, Path file);

    /** Creates a small blob only if none of that name exists; returns false, writing nothing, if one does. */
    boolean createIfAbsent(String container, String name, byte[] content);

    /** Writes a small blob, replacing any of that name. */
    void put(String container, String name, byte[] content);

    /**
     * Writes a small blob only if it is still at version {@code etag} (or, for null, still absent).
     * Returns false, writing nothing, if another writer got there first.
     */
    boolean putIfUnchanged(String container, String name, byte[] content, String etag);

    /** Reads a small blob, with its version, or empty when it does not exist. */
    Optional<Versioned> read(String container, String name);

    /**
     * Copies exactly the version {@code source.etag()} of a blob to {@code container/name}, replacing any blob
     * there (creating the container if need be).
     *
     * @throws SourceChangedException when the source has changed or gone since that version
     */
    void copy(BlobRef source, String container, String name);

    /** Deletes a blob only if it is still at version {@code blob.etag()}; returns false when it changed or is gone. */
    boolean deleteIfMatch(BlobRef blob);

    /** Deletes a blob; one that does not exist is already deleted. */
    void delete(String container, String name);

    /** Names of the blobs under {@code prefix}, in lexical order. */
    List<String> list(String container, String prefix);

    /** Names of the virtual folders directly under {@code prefix} (without the trailing '/'), in lexical order. */
    List<String> folders(String container, String prefix);

    /** A small blob's content and version. */
    record Versioned(byte[] content, String etag) {
    }
}
