package io.tributary.table;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One line of a Delta Lake commit file: exactly one of its fields is set. The records follow the Delta transaction
 * log protocol's actions; fields Tributary does not use are left out, and fields other writers add are ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Action(Protocol protocol, Metadata metaData, AddFile add, RemoveFile remove, Txn txn,
                     Map<String, Object> commitInfo) {

    public static Action of(Protocol protocol) {
        return new Action(protocol, null, null, null, null, null);
    }

    public static Action of(Metadata metaData) {
        return new Action(null, metaData, null, null, null, null);
    }

    public static Action of(AddFile add) {
        return new Action(null, null, add, null, null, null);
    }

    public static Action of(RemoveFile remove) {
        return new Action(null, null, null, remove, null, null);
    }

    public static Action of(Txn txn) {
        return new Action(null, null, null, null, txn, null);
    }

    public static Action commitInfo(Map<String, Object> info) {
        return new Action(null, null, null, null, null, info);
    }

    /** The versions of the protocol a table needs of its readers and writers, and the features it uses. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Protocol(int minReaderVersion, int minWriterVersion, List<String> readerFeatures,
                           List<String> writerFeatures) {
    }

    /** The table's identity, schema, partition columns and configuration. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metadata(String id, String name, String description, Format format, String schemaString,
                           List<String> partitionColumns, Map<String, String> configuration, Long createdTime) {
    }

    /** The data files' format: always Parquet. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Format(String provider, Map<String, String> options) {
        public static final Format PARQUET = new Format("parquet", Map.of());
    }

    /**
     * A data file the version adds.
     *
     * @param path             relative to the table's root, URI-encoded
     * @param partitionValues  every partition column's value as text (null for a null value)
     * @param stats            JSON text with the file's {@code numRecords}
     * @param tags             Tributary's own notes on the file, such as its key range (readers ignore them)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AddFile(String path, Map<String, String> partitionValues, long size, long modificationTime,
                          boolean dataChange, String stats, Map<String, String> tags) {
    }

    /** A data file the version removes (a tombstone until vacuum deletes the file). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RemoveFile(String path, Long deletionTimestamp, boolean dataChange, Boolean extendedFileMetadata,
                             Map<String, String> partitionValues, Long size, String stats) {
    }

    /** An application's transaction: the newest {@code version} of {@code appId} committed to the table. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Txn(String appId, long version, Long lastUpdated) {
    }
}
