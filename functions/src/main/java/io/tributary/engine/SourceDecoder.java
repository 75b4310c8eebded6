package io.tributary.engine;

import io.tributary.definition.source.Encodings;
import io.tributary.definition.source.SourceFormat;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Turns the bytes of a source as they were dropped into the file its parser reads, streaming: un-gzips it (gzip is
 * recognized by its first two bytes, {@code 1f 8b}, not by the file's name), transcodes text in another encoding to
 * UTF-8, drops a UTF-8 byte-order mark, and writes the records found at a JSON source's {@code recordsPath} as
 * JSON Lines ({@link JsonRecords}). A source that needs none of this is read where it is.
 */
public final class SourceDecoder {

    private static final int BUFFER = 1 << 16;
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** The first (and last) bytes of every Parquet file. */
    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};
    /** How a gzip stream begins. */
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};

    private SourceDecoder() {
    }

    /**
     * What {@link #decode} made.
     *
     * @param file     the file to parse
     * @param complete false when the input was a cut-off sample, or the output stopped at its limit
     */
    public record Decoded(Path file, boolean complete) {
    }

    /** The app setting that bounds {@link EngineLimits#maxDecodedBytes}. */
    static final String MAX_DECODED_SETTING = "TRIBUTARY_MAX_DECODED_BYTES";

    /** How many times its compressed size a gzip source may expand to beyond the set number of bytes. */
    static final long MAX_EXPANSION = 100;

    /**
     * Decodes the whole of {@code input}, a gzip source expanding to at most {@link #maxDecompressed} bytes, and the
     * output taking at most {@link EngineLimits#maxDecodedBytes}.
     */
    public static Path decode(SourceFormat source, Path input, Path workDir, EngineLimits limits) {
        return decode(source, input, true, Long.MAX_VALUE, workDir, limits).file();
    }

    /**
     * The most bytes a gzip source of {@code compressedBytes} may expand to: {@code setting}, or more for a large
     * file — {@link #MAX_EXPANSION} times its size. Text compresses some 5 to 20 times; a file of zeros, a
     * decompression bomb, some 1,000 times.
     */
    static long maxDecompressed(long compressedBytes, long setting) {
        return Math.max(setting, compressedBytes > Long.MAX_VALUE / MAX_EXPANSION ? Long.MAX_VALUE
                : compressedBytes * MAX_EXPANSION);
    }

    /** Decodes as {@link #decode(SourceFormat, Path, boolean, long, Path, EngineLimits)}, with the default limits. */
    public static Decoded decode(SourceFormat source, Path input, boolean complete, long limit, Path workDir) {
        return decode(source, input, complete, limit, workDir, EngineLimits.DEFAULT);
    }

    /**
     * Decodes {@code input} into {@code workDir}.
     *
     * @param complete whether {@code input} is the whole source; if not, a gzip stream cut short ends quietly
     * @param limit    the most bytes to write (a sample needs no more)
     * @param limits   a gzip source that expands beyond {@link EngineLimits#maxDecompressedBytes}, and beyond
     *                 {@link #MAX_EXPANSION} times its size, fails (a decompression bomb would fill the disk); so does a
     *                 source whose decoded bytes pass {@link EngineLimits#maxDecodedBytes}, whatever its size
     * @throws TransformFailedException when the input is not what the source options say, or decodes to too much
     */
    public static Decoded decode(SourceFormat source, Path input, boolean complete, long limit, Path workDir,
                                 EngineLimits limits) {
        long maxDecompressedBytes = limits.maxDecompressedBytes();
        try {
            boolean gzip = isGzip(source, input);
            if (source.isText() && !gzip && startsWith(input, PARQUET_MAGIC)) {
                throw TransformFailedException.wrongFormat("the source is a Parquet file (it starts with the bytes "
                        + "\"PAR1\"), but the definition declares \"format\": \"" + source.format() + "\"; set "
                        + "\"format\": \"parquet\", or drop the " + source.format() + " file instead", null);
            }
            boolean transcode = source.isText() && !Encodings.isUtf8(source.encoding());
            boolean bom = source.isText() && !transcode && !gzip && startsWithBom(input);
            if (!gzip && !transcode && !bom && source.recordsPath().isEmpty()) {
                return new Decoded(input, complete);
            }
            Path output = workDir.resolve("decoded-" + input.getFileName());
            boolean whole;
            EndQuietly[] gunzip = new EndQuietly[1];
            long cap = maxDecompressed(Files.size(input), maxDecompressedBytes);
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(input), BUFFER);
                 InputStream in = gzip ? new Capped(gunzip[0] = new EndQuietly(new GZIPInputStream(raw, BUFFER),
                         !complete), cap) : raw;
                 LimitedOutput out = new LimitedOutput(new DecodedCap(new BufferedOutputStream(
                         Files.newOutputStream(output), BUFFER), limits.maxDecodedBytes()), limit)) {
                if (!source.isText()) {
                    in.transferTo(out);
                } else if (transcode) {
                    transcode(in, charset(source), out, source, complete);
                } else {
                    InputStream text = new BufferedInputStream(in, BUFFER);
                    skipBom(text);
                    if (source.recordsPath().isPresent()) {
                        JsonRecords.write(new InputStreamReader(text, StandardCharsets.UTF_8),
                                source.recordsPath().get(), out);
                    } else {
                        text.transferTo(out);
                    }
                }
                whole = !out.full();
            } catch (LimitedOutput.Full e) {
                whole = false;
            } catch (DecodedCap.Exceeded e) {
                Files.deleteIfExists(output);
                throw new TransformFailedException("the source decodes to more than " + bytes(limits.maxDecodedBytes())
                        + ", the most the app setting " + MAX_DECODED_SETTING + " (" + limits.maxDecodedBytes() + ") lets "
                        + "a decoded source take on the work dir's disk, so decoding stopped there and what it wrote is "
                        + "deleted; split the source into smaller files, or raise " + MAX_DECODED_SETTING + " above its "
                        + "decoded size if the work dir's disk holds that much", null);
            } catch (Capped.Exceeded e) {
                Files.deleteIfExists(output);
                throw TransformFailedException.wrongFormat("the gzip expands beyond " + bytes(cap) + ", more than "
                        + MAX_EXPANSION + " times its compressed size (" + bytes(Files.size(input)) + "), so it was "
                        + "not read further: it looks like a decompression bomb; if it is real data, raise the app "
                        + "setting TRIBUTARY_MAX_DECOMPRESSED_BYTES above its decompressed size", null);
            }
            return new Decoded(output, complete && whole && (gunzip[0] == null || !gunzip[0].endedEarly));
        } catch (ZipException | EOFException e) {
            throw TransformFailedException.wrongFormat("the source starts with gzip's magic bytes (1f 8b) but does not "
                    + "decompress (" + e.getMessage() + "); upload it again, or set \"compression\": \"none\" if it is "
                    + "not gzip", e);
        } catch (CharacterCodingException e) {
            throw TransformFailedException.wrongFormat("the source is not valid " + source.encoding() + " text (" + e
                    + "); set \"encoding\" to the character set it is written in", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Charset charset(SourceFormat source) {
        return Encodings.resolve(source.encoding()).orElseThrow(() -> new IllegalArgumentException(
                "unknown encoding " + source.encoding()));
    }

    /** Whether to read {@code input} through gzip: as the bytes say, unless the definition says. */
    private static boolean isGzip(SourceFormat source, Path input) throws IOException {
        if (source.compression().equals("none")) {
            return false;
        }
        boolean magic = startsWith(input, GZIP_MAGIC);
        if (!magic && source.compression().equals("gzip") && Files.size(input) > 0) {
            throw TransformFailedException.wrongFormat("the source is declared \"compression\": \"gzip\" but is not gzip (it "
                    + "does not start with the bytes 1f 8b); set \"compression\": \"auto\" to read gzip and plain "
                    + "files alike", null);
        }
        return magic;
    }

    /** Whether {@code start}, the first bytes of a source, begin as a gzip stream does. */
    public static boolean isGzip(byte[] start) {
        return start.length >= GZIP_MAGIC.length
                && java.util.Arrays.equals(java.util.Arrays.copyOf(start, GZIP_MAGIC.length), GZIP_MAGIC);
    }

    private static boolean startsWithBom(Path input) throws IOException {
        return startsWith(input, UTF8_BOM);
    }

    private static boolean startsWith(Path input, byte[] prefix) throws IOException {
        try (InputStream in = Files.newInputStream(input)) {
            return java.util.Arrays.equals(in.readNBytes(prefix.length), prefix);
        }
    }

    private static void skipBom(InputStream in) throws IOException {
        in.mark(3);
        if (!java.util.Arrays.equals(in.readNBytes(3), UTF8_BOM)) {
            in.reset();
        }
    }

    /**
     * Text in another character set as UTF-8, without a byte-order mark; bytes it does not define fail. A sample cut
     * from a longer source may end inside a character: those last bytes are left out, not reported.
     */
    private static void transcode(InputStream in, Charset charset, OutputStream out, SourceFormat source,
                                  boolean complete) throws IOException {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        if (source.recordsPath().isPresent()) {
            Reader reader = new BufferedReader(new InputStreamReader(in, decoder), BUFFER);
            reader.mark(1);
            if (reader.read() != '\uFEFF') {
                reader.reset();
            }
            JsonRecords.write(reader, source.recordsPath().get(), out);
            return;
        }
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER);
        ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
        CharBuffer chars = CharBuffer.allocate(BUFFER);
        boolean first = true;
        boolean end = false;
        while (!end) {
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            end = n < 0;
            if (!end) {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
            CoderResult result;
            do {
                result = decoder.decode(bytes, chars, end && complete);
                if (result.isError()) {
                    result.throwException();
                }
                chars.flip();
                if (first && chars.hasRemaining() && chars.get(chars.position()) == '\uFEFF') {
                    chars.get();
                }
                first = first && !chars.hasRemaining();
                writer.append(chars);
                chars.clear();
            } while (result.isOverflow());
            bytes.compact();
        }
        if (complete) {
            decoder.flush(chars);
            chars.flip();
            writer.append(chars);
        }
        writer.flush();
    }

    /** {@code n} bytes for people: in GiB, MiB or KiB with one decimal, else in bytes. */
    static String bytes(long n) {
        String[] units = {"GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (30 - 10 * i);
            if (n >= unit) {
                return String.format(java.util.Locale.ROOT, "%.1f %s", (double) n / unit, units[i]);
            }
        }
        return n + " bytes";
    }

    /** Refuses to read beyond a number of bytes, throwing {@link Exceeded}. */
    private static final class Capped extends ArrayReads {

        static final class Exceeded extends IOException {
            Exceeded() {
                super("the stream is longer than allowed");
            }
        }

        private final long cap;
        private long read;

        Capped(InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (read += n) > cap) {
                throw new Exceeded();
            }
            return n;
        }
    }

    /** A filter whose single-byte read goes through its array read, where the filtering is. */
    private abstract static class ArrayReads extends FilterInputStream {

        ArrayReads(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /**
     * A gzip stream that, reading a sample cut from a longer file, ends where the sample ends instead of
     * failing there.
     */
    private static final class EndQuietly extends ArrayReads {

        /** Set when a cut-off sample ended before the gzip stream did. */
        boolean endedEarly;

        private final boolean quietly;

        EndQuietly(InputStream in, boolean quietly) {
            super(in);
            this.quietly = quietly;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (EOFException e) {
                if (quietly) {
                    endedEarly = true;
                    return -1;
                }
                throw e;
            }
        }
    }

    /**
     * Passes on at most a number of bytes, the most a decoded source may take on disk; writing more throws
     * {@link Exceeded}, before those bytes reach the disk.
     */
    private static final class DecodedCap extends OutputStream {

        static final class Exceeded extends IOException {
            Exceeded() {
                super("the decoded source is larger than allowed");
            }
        }

        private final OutputStream out;
        private final long cap;
        private long written;

        DecodedCap(OutputStream out, long cap) {
            this.out = out;
            this.cap = cap;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > cap - written) {
                throw new Exceeded();
            }
            out.write(b, off, len);
            written += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Writes up to a limit of bytes, then refuses more by throwing {@link Full}, which ends the decoding. */
    static final class LimitedOutput extends OutputStream {

        /** Thrown when the limit is reached: what was written so far is the output. */
        static final class Full extends IOException {
            Full() {
                super("the output is full");
            }
        }

        private final OutputStream out;
        private final long limit;
        private long written;
        private boolean full;

        LimitedOutput(OutputStream out, long limit) {
            this.out = out;
            this.limit = limit;
        }

        boolean full() {
            return full;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long room = limit - written;
            if (len > room) {
                out.write(b, off, (int) room);
                written = limit;
                full = true;
                throw new Full();
            }
            out.write(b, off, len);
            written += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
