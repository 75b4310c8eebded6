package io.tributary.testing;

import io.tributary.run.BlobRef;
import io.tributary.port.BlobInfo;
import io.tributary.port.BlobStore;
import io.tributary.port.SourceChangedException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The blob store's contract held in memory, for unit tests of the stages' rules (claims, fan-in, concurrency holds):
 * create-only writes, conditional writes and deletes by ETag, a new ETag on every write, lexical listing. The
 * integration tests run the same rules against Azurite through the Azure SDK; this is the same contract, kept small.
 */
public final class InMemoryBlobStore implements BlobStore {

    private record Blob(byte[] content, String etag, java.time.Instant lastModified) {
    }

    private final Map<String, Blob> blobs = new TreeMap<>();
    private final AtomicLong versions = new AtomicLong();
    private final Clock clock;

    public InMemoryBlobStore(Clock clock) {
        this.clock = clock;
    }

    public InMemoryBlobStore() {
        this(Clock.systemUTC());
    }

    private static String key(String container, String name) {
        return container + "/" + name;
    }

    private Blob blob(byte[] content) {
        return new Blob(content.clone(), "\"0x" + versions.incrementAndGet() + "\"", clock.instant());
    }

    /** A read of version {@code etag}; as the Azure SDK's {@code If-Match}, a null ETag reads whatever is there. */
    private static boolean sameVersion(Blob found, String etag) {
        return etag == null || found.etag().equals(etag);
    }

    @Override
    public synchronized Optional<BlobInfo> properties(String container, String name) {
        return Optional.ofNullable(blobs.get(key(container, name)))
                .map(b -> new BlobInfo(b.etag(), b.content().length, b.lastModified()));
    }

    @Override
    public synchronized void download(BlobRef blob, long offset, long length, OutputStream target) {
        Blob found = blobs.get(key(blob.container(), blob.name()));
        if (found == null || !sameVersion(found, blob.etag())) {
            throw new SourceChangedException(blob.container() + "/" + blob.name() + " changed or is gone", null);
        }
        int from = (int) Math.min(offset, found.content().length);
        int to = (int) Math.min(found.content().length, length == WHOLE ? Long.MAX_VALUE : offset + length);
        try {
            target.write(found.content(), from, Math.max(0, to - from));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized long upload(String container, String name, Path file) {
        try {
            byte[] content = Files.readAllBytes(file);
            blobs.put(key(container, name), blob(content));
            return content.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized boolean createIfAbsent(String container, String name, byte[] content) {
        return blobs.putIfAbsent(key(container, name), blob(content)) == null;
    }

    @Override
    public synchronized void put(String container, String name, byte[] content) {
        blobs.put(key(container, name), blob(content));
    }

    @Override
    public synchronized boolean putIfUnchanged(String container, String name, byte[] content, String etag) {
        Blob found = blobs.get(key(container, name));
        if (etag == null ? found != null : found == null || !found.etag().equals(etag)) {
            return false;
        }
        blobs.put(key(container, name), blob(content));
        return true;
    }

    @Override
    public synchronized Optional<Versioned> read(String container, String name) {
        return Optional.ofNullable(blobs.get(key(container, name)))
                .map(b -> new Versioned(b.content().clone(), b.etag()));
    }

    @Override
    public synchronized void copy(BlobRef source, String container, String name) {
        Blob found = blobs.get(key(source.container(), source.name()));
        if (found == null || !sameVersion(found, source.etag())) {
            throw new SourceChangedException(source.container() + "/" + source.name() + " changed or is gone", null);
        }
        blobs.put(key(container, name), blob(found.content()));
    }

    @Override
    public synchronized boolean deleteIfMatch(BlobRef blob) {
        Blob found = blobs.get(key(blob.container(), blob.name()));
        if (found == null || !found.etag().equals(blob.etag())) {
            return false;
        }
        blobs.remove(key(blob.container(), blob.name()));
        return true;
    }

    @Override
    public synchronized void delete(String container, String name) {
        blobs.remove(key(container, name));
    }

    @Override
    public synchronized List<String> list(String container, String prefix) {
        String start = key(container, prefix);
        return blobs.keySet().stream().filter(k -> k.startsWith(start))
                .map(k -> k.substring(container.length() + 1)).toList();
    }

    @Override
    public synchronized List<String> folders(String container, String prefix) {
        TreeSet<String> folders = new TreeSet<>();
        for (String name : list(container, prefix)) {
            int slash = name.indexOf('/', prefix.length());
            if (slash >= 0) {
                folders.add(name.substring(0, slash));
            }
        }
        return List.copyOf(folders);
    }

    /** The content of a blob as text, for assertions; empty when there is none. */
    public synchronized Optional<String> text(String container, String name) {
        return Optional.ofNullable(blobs.get(key(container, name)))
                .map(b -> new String(b.content(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "InMemoryBlobStore" + Arrays.toString(blobs.keySet().toArray());
    }
}
