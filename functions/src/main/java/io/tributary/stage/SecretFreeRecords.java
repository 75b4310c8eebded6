package io.tributary.stage;

import io.tributary.fetch.SourceException;
import io.tributary.run.SecretMask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Lines a fetcher writes, passed on unchanged to the spool unless a record holds the value of a setting the
 * definition refers to (a server that echoes a token into a record): that fails the fetch, naming the record and the
 * setting, so that a secret never reaches a dataset or its rejects, and no value is changed in silence to hide it.
 * Counts the bytes it writes, which the spool's size is. Leaves the stream it wraps open.
 */
final class SecretFreeRecords extends OutputStream {

    private final OutputStream out;
    private final SecretMask mask;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long count;
    private long records;

    SecretFreeRecords(OutputStream out, SecretMask mask) {
        this.out = out;
        this.mask = mask;
    }

    /** The bytes written to the stream it wraps so far. */
    long count() {
        return count;
    }

    @Override
    public void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i + 1 - start);
                flushLine();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    /** Writes what is left of a last line without its line break; the stream it wraps stays open. */
    @Override
    public void close() throws IOException {
        flushLine();
        out.flush();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    private void flushLine() throws IOException {
        if (line.size() == 0) {
            return;
        }
        records++;
        String setting = mask.settingIn(line.toString(StandardCharsets.UTF_8)).orElse(null);
        if (setting != null) {
            throw new SourceException(SourceException.Kind.MALFORMED_RESPONSE, "record " + records
                    + " from the source holds the value of the app setting " + setting + ", which the definition "
                    + "sends to it; Tributary keeps the settings' values out of datasets and rejects, so nothing of "
                    + "this run is committed. Have the source stop echoing it, or, if " + setting + " holds no "
                    + "secret, write its value into the definition in place of %" + setting + "%", null, false);
        }
        line.writeTo(out);
        count += line.size();
        line.reset();
    }
}
