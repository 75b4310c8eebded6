package io.tributary.port;

import java.time.Instant;

/** What storage says of one version of a blob. */
public record BlobInfo(String etag, long size, Instant lastModified) {
}
