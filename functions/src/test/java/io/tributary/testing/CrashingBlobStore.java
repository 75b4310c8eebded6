package io.tributary.testing;

import io.tributary.port.BlobInfo;
import io.tributary.port.BlobStore;
import io.tributary.run.BlobRef;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A blob store whose invocation dies right after one chosen write took effect: the write is there, nothing after it
 * ran. It throws {@link Crash}, an {@link Error} no stage catches, as a host killed at that moment would leave things;
 * the next delivery of the message then runs on the store underneath. {@code ExactlyOnceIT} does the same on Azurite.
 */
public final class CrashingBlobStore implements BlobStore {

    /** The invocation died here. */
    public static final class Crash extends Error {
        Crash(String where) {
            super("the invocation died right after " + where);
        }
    }

    private final BlobStore blobs;
    private final String op;
    private final Pattern name;
    private boolean crashed;

    /**
     * Dies after the first {@code op} ({@code upload}, {@code createIfAbsent}, {@code put}, {@code putIfUnchanged},
     * {@code copy}, {@code delete}) that wrote a blob whose {@code container/name} matches {@code name}.
     */
    public CrashingBlobStore(BlobStore blobs, String op, String name) {
        this.blobs = blobs;
        this.op = op;
        this.name = Pattern.compile(name);
    }

    /** Whether it died yet. */
    public boolean crashed() {
        return crashed;
    }

    private void wrote(String what, String container, String blob) {
        if (!crashed && what.equals(op) && name.matcher(container + "/" + blob).matches()) {
            crashed = true;
            throw new Crash(what + " " + container + "/" + blob);
        }
    }

    @Override
    public Optional<BlobInfo> properties(String container, String name) {
        return blobs.properties(container, name);
    }

    @Override
    public void download(BlobRef blob, long offset, long length, OutputStream target) {
        blobs.download(blob, offset, length, target);
    }

    @Override
    public long upload(String container, String name, Path file) {
        long bytes = blobs.upload(container, name, file);
        wrote("upload", container, name);
        return bytes;
    }

    @Override
    public boolean createIfAbsent(String container, String name, byte[] content) {
        boolean created = blobs.createIfAbsent(container, name, content);
        if (created) {
            wrote("createIfAbsent", container, name);
        }
        return created;
    }

    @Override
    public void put(String container, String name, byte[] content) {
        blobs.put(container, name, content);
        wrote("put", container, name);
    }

    @Override
    public boolean putIfUnchanged(String container, String name, byte[] content, String etag) {
        boolean written = blobs.putIfUnchanged(container, name, content, etag);
        if (written) {
            wrote("putIfUnchanged", container, name);
        }
        return written;
    }

    @Override
    public Optional<Versioned> read(String container, String name) {
        return blobs.read(container, name);
    }

    @Override
    public void copy(BlobRef source, String container, String name) {
        blobs.copy(source, container, name);
        wrote("copy", container, name);
    }

    @Override
    public boolean deleteIfMatch(BlobRef blob) {
        boolean deleted = blobs.deleteIfMatch(blob);
        if (deleted) {
            wrote("delete", blob.container(), blob.name());
        }
        return deleted;
    }

    @Override
    public void delete(String container, String name) {
        blobs.delete(container, name);
        wrote("delete", container, name);
    }

    @Override
    public List<String> list(String container, String prefix) {
        return blobs.list(container, prefix);
    }

    @Override
    public List<String> folders(String container, String prefix) {
        return blobs.folders(container, prefix);
    }
}
