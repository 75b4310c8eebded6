package io.tributary.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads at most {@code limit} bytes of a stream; reading past them throws {@link TooLarge}. */
final class BoundedInputStream extends FilterInputStream {

    /** The stream had more than the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    private final long limit;
    private long count;
    private boolean exceeded;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** Whether the stream went past the limit (even if a reader swallowed the exception). */
    boolean exceeded() {
        return exceeded;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, (int) Math.min(length, Math.max(1, limit - count + 1)));
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, Math.max(1, limit - count + 1)));
        counted(skipped);
        return skipped;
    }

    private void counted(long n) throws TooLarge {
        count += n;
        if (count > limit) {
            exceeded = true;
            throw new TooLarge(limit);
        }
    }
}
