package io.tributary.testing;

import io.tributary.run.BlobRef;
import io.tributary.stage.BlobInfo;
import io.tributary.stage.BlobStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Small blobs in memory, with ETags, for unit tests of stage logic that needs no data files. */
public final class MemoryBlobStore implements BlobStore {

    private record Blob(byte[] content, String etag) {
    }

    private final TreeMap<String, Blob> blobs = new TreeMap<>();
    private final AtomicLong versions = new AtomicLong();

    private static String key(String container, String name) {
        return container + "/" + name;
    }

    @Override
    public synchronized Optional<BlobInfo> properties(String container, String name) {
        return Optional.ofNullable(blobs.get(key(container, name)))
                .map(b -> new BlobInfo(b.etag(), b.content().length, Instant.EPOCH));
    }

    @Override
    public void download(BlobRef blob, long offset, long length, Path target) {
        throw new UnsupportedOperationException("no data files in memory");
    }

    @Override
    public long upload(String container, String name, Path file) {
        throw new UnsupportedOperationException("no data files in memory");
    }

    @Override
    public synchronized boolean createIfAbsent(String container, String name, byte[] content) {
        return putIfUnchanged(container, name, content, null);
    }

    @Override
    public synchronized void put(String container, String name, byte[] content) {
        blobs.put(key(container, name), new Blob(content.clone(), "v" + versions.incrementAndGet()));
    }

    @Override
    public synchronized boolean putIfUnchanged(String container, String name, byte[] content, String etag) {
        Blob current = blobs.get(key(container, name));
        if (etag == null ? current != null : current == null || !current.etag().equals(etag)) {
            return false;
        }
        put(container, name, content);
        return true;
    }

    @Override
    public synchronized Optional<Versioned> read(String container, String name) {
        return Optional.ofNullable(blobs.get(key(container, name))).map(b -> new Versioned(b.content().clone(), b.etag()));
    }

    @Override
    public synchronized void copy(BlobRef source, String container, String name) {
        Blob blob = blobs.get(key(source.container(), source.name()));
        if (blob == null || !blob.etag().equals(source.etag())) {
            throw new io.tributary.stage.SourceChangedException("the source " + source + " changed", null);
        }
        put(container, name, blob.content());
    }

    @Override
    public synchronized boolean deleteIfMatch(BlobRef blob) {
        Blob current = blobs.get(key(blob.container(), blob.name()));
        if (current == null || !current.etag().equals(blob.etag())) {
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
        return blobs.subMap(start, true, start + Character.MAX_VALUE, true).keySet().stream()
                .map(k -> k.substring(container.length() + 1)).toList();
    }

    @Override
    public synchronized List<String> folders(String container, String prefix) {
        return list(container, prefix).stream().map(n -> n.substring(prefix.length()))
                .filter(n -> n.contains("/")).map(n -> prefix + n.substring(0, n.indexOf('/'))).distinct().toList();
    }
}
