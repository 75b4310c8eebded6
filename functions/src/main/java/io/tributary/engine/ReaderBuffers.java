package io.tributary.engine;

/**
 * How much memory a text reader takes, sized to the engine's memory: the longest record it reads (a longer one is
 * rejected with its line) and the buffer it reads through, which must hold more than one record. DuckDB's own
 * default buffer, sixteen times the longest record (1 GiB for 64 MiB records), would not fit a function's memory
 * share; capped by the file's size, it failed a large decompressed file outright.
 *
 * @param maxRecordBytes the longest record: 64 MiB, or a sixth of the memory (in whole MiB) when that is less
 * @param bufferBytes    the read buffer: a quarter of the memory, at least twice the longest record
 */
record ReaderBuffers(long maxRecordBytes, long bufferBytes) {

    /** The longest record any text reader takes, however much memory it has. */
    static final long MAX_RECORD_BYTES = 64L << 20;
    /** The least a record may be allowed, however little memory there is. */
    private static final long MIN_RECORD_BYTES = 1L << 20;

    static ReaderBuffers of(EngineLimits limits) {
        long memory = limits.memoryBytes();
        long record = Math.max(MIN_RECORD_BYTES, Math.min(MAX_RECORD_BYTES, (memory / 6) >> 20 << 20));
        return new ReaderBuffers(record, Math.max(2 * record, memory / 4));
    }

    /** The longest record, as a message says it: {@code 64 MiB}. */
    String maxRecord() {
        return maxRecordBytes % (1 << 20) == 0 ? (maxRecordBytes >> 20) + " MiB" : (maxRecordBytes >> 10) + " KiB";
    }

    /** The reader options that apply these sizes to DuckDB's {@code read_csv}. */
    String readCsvOptions() {
        return ", max_line_size = " + maxRecordBytes + ", buffer_size = " + bufferBytes;
    }
}
