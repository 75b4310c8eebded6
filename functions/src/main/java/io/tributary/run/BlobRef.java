package io.tributary.run;

import java.util.Objects;

/**
 * One version of one blob.
 *
 * @param container the container
 * @param name      the blob's name inside it
 * @param etag      the version, or null where any version will do
 */
public record BlobRef(String container, String name, String etag) {
    public BlobRef {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return container + "/" + name + (etag == null ? "" : " (ETag " + etag + ")");
    }
}
