package io.tributary.definition.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.definition.read.BlobReference;
import io.tributary.definition.read.Fields;
import io.tributary.definition.read.Suggestions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads {@code "source"}: where a run's input comes from (a blob, a REST API, a database), how its file is written,
 * and the cursor of an incremental load.
 */
public final class SourceReader {

    private static final Set<String> FIELDS = Set.of("format", "header", "delimiter", "quote", "escape",
            "nullString", "quotedEmpty", "encoding", "compression", "recordsPath", "timestampFormat", "dateFormat", "blob", "rest", "sql",
            "incremental");
    /** The keys that name a fetched source, in {@code source}. */
    private static final List<String> FETCHED_KINDS = List.of("rest", "sql");
    /** The options that describe a file, which a fetched source does not have. */
    private static final List<String> FILE_ONLY = List.of("format", "header", "delimiter", "quote", "escape",
            "nullString", "quotedEmpty", "encoding", "compression", "recordsPath");

    private final Fields fields;

    /** A reader that reports its problems to {@code fields}. */
    public SourceReader(Fields fields) {
        this.fields = fields;
    }

    /**
     * What the source section says, each part as far as it reads without problems.
     *
     * @param blob        the blob a scheduled run reads, {@code container/path}
     * @param fetched     the API or database the source is fetched from
     * @param incremental how runs read only new records
     * @param format      how the input is written; {@link SourceFormat#DEFAULT} when the section cannot be read
     */
    public record Section(Optional<String> blob, Optional<FetchedSource> fetched, Optional<Incremental> incremental,
                          SourceFormat format) {

        /** A section that is missing or not an object. */
        static final Section ABSENT = new Section(Optional.empty(), Optional.empty(), Optional.empty(),
                SourceFormat.DEFAULT);
    }

    /** Reads {@code source}, the value of the required field {@code "source"} (null when it is missing). */
    public Section read(JsonNode source) {
        if (source == null) {
            fields.problem("", "missing required field 'source' (e.g. \"source\": {\"format\": \"csv\"})");
            return Section.ABSENT;
        }
        if (!fields.object(source, "/source", FIELDS)) {
            return Section.ABSENT;
        }
        Optional<FetchedSource> fetched = fetchedSource(source);
        SourceFormat format = fetched.isPresent() ? SourceFormat.fetched(timeFormat(source, "timestampFormat"),
                timeFormat(source, "dateFormat")) : sourceFormat(source);
        Optional<String> blob = Optional.ofNullable(fields.string(source, "/source", "blob", false));
        blob.filter(b -> !BlobReference.PATTERN.matcher(b).matches())
                .ifPresent(b -> fields.problem("/source/blob", BlobReference.refusal(b)));
        Optional<Incremental> incremental = incremental(source.get("incremental"));
        if (incremental.isPresent() && fetched.isEmpty()) {
            fields.problemAtKey("/source/incremental", "an incremental cursor belongs to a \"rest\" or \"sql\" "
                    + "source; files are loaded incrementally already (each name and ETag once), so remove it");
        }
        return new Section(blob, fetched, incremental, format);
    }

    private SourceFormat sourceFormat(JsonNode source) {
        String format = fields.string(source, "/source", "format", true);
        if (format != null && !SourceFormat.FORMATS.contains(format)) {
            fields.problem("/source/format", "unknown source format '" + format + "'" + Suggestions.didYouMean(format,
                    SourceFormat.FORMATS) + "; allowed: " + String.join(", ", SourceFormat.FORMATS));
            format = null;
        }
        if (format != null) {
            for (String option : new TreeSet<>(SourceFormat.FORMAT_OPTIONS.keySet())) {
                List<String> formats = SourceFormat.FORMAT_OPTIONS.get(option);
                if (source.has(option) && !formats.contains(format)) {
                    String owners = formats.equals(List.of("csv")) ? "CSV sources" : formats.equals(List.of("json"))
                            ? "json sources" : "text sources (" + String.join(", ", formats) + ")";
                    fields.problemAtKey("/source/" + option, "'" + option + "' is an option of " + owners + "; a "
                            + format + " source has no " + option + " (remove it)");
                }
            }
        }
        boolean header = fields.bool(source, "/source", "header", true);
        char delimiter = fields.character(source, "/source", "delimiter", ',');
        char quote = fields.character(source, "/source", "quote", '"');
        char escape = fields.character(source, "/source", "escape", quote);
        String nullString = Optional.ofNullable(fields.string(source, "/source", "nullString", false)).orElse("");
        String quotedEmpty = Optional.ofNullable(fields.string(source, "/source", "quotedEmpty", false)).orElse("string");
        if (!SourceFormat.QUOTED_EMPTY.contains(quotedEmpty)) {
            fields.problem("/source/quotedEmpty", "unknown quotedEmpty '" + quotedEmpty + "'" + Suggestions.didYouMean(
                    quotedEmpty, SourceFormat.QUOTED_EMPTY) + "; allowed: string (a quoted empty field is the empty "
                    + "string) or null (it is a missing value)");
            quotedEmpty = "string";
        }
        if (delimiter == quote) {
            fields.problem("/source/quote", "the quote character is the same as the delimiter ('" + delimiter
                    + "'); give them different characters");
        }
        if (source.has("escape") && escape == delimiter) {
            fields.problem("/source/escape", "the escape character is the same as the delimiter ('" + delimiter
                    + "'); give them different characters");
        }
        return new SourceFormat(format == null ? "csv" : format, header, delimiter, quote, escape, nullString,
                quotedEmpty, encoding(source), compression(source), recordsPath(source),
                timeFormat(source, "timestampFormat"), timeFormat(source, "dateFormat"));
    }

    /**
     * The API or database the source is fetched from ({@code rest} or {@code sql}), if either is given; a fetched
     * source is read as JSON Lines, so it takes none of the file options.
     */
    private Optional<FetchedSource> fetchedSource(JsonNode source) {
        List<String> kinds = FETCHED_KINDS.stream().filter(source::has).toList();
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        if (kinds.size() > 1 || source.has("blob")) {
            fields.problemAtKey("/source/" + kinds.get(kinds.size() - 1), "a source is one of a blob, \"rest\" or "
                    + "\"sql\"; this one names " + String.join(" and ", source.has("blob")
                    ? Stream.concat(Stream.of("blob"), kinds.stream()).toList() : kinds)
                    + " (keep one)");
        }
        for (String option : FILE_ONLY) {
            if (source.has(option)) {
                fields.problemAtKey("/source/" + option, "'" + option + "' describes a file; a " + kinds.get(0)
                        + " source is fetched as JSON records (remove it)");
            }
        }
        Optional<FetchedSource> fetched = Optional.empty();
        if (source.has("rest")) {
            fetched = new RestSourceReader(fields).read(source.get("rest"));
        }
        if (source.has("sql")) {
            fetched = Optional.of(new SqlSourceReader(fields).read(source.get("sql")));
        }
        return fetched;
    }

    /** How runs read only new records: {@code "incremental": {"cursor": "updated_at", "initial": "…"}}. */
    private Optional<Incremental> incremental(JsonNode incremental) {
        if (incremental == null || !fields.object(incremental, "/source/incremental", Set.of("cursor", "initial"))) {
            return Optional.empty();
        }
        String cursor = fields.string(incremental, "/source/incremental", "cursor", true);
        String initial = fields.string(incremental, "/source/incremental", "initial", false);
        return cursor == null ? Optional.empty() : Optional.of(new Incremental(cursor, Optional.ofNullable(initial)));
    }

    /** A character set Java knows; UTF-8 when absent. */
    private String encoding(JsonNode source) {
        String encoding = fields.string(source, "/source", "encoding", false);
        if (encoding == null) {
            return SourceFormat.UTF_8;
        }
        if (Encodings.resolve(encoding).isEmpty()) {
            fields.problem("/source/encoding", "unknown encoding '" + encoding + "'" + Suggestions.didYouMean(encoding,
                    Encodings.COMMON) + "; use a character set name such as " + String.join(", ", Encodings.COMMON));
            return SourceFormat.UTF_8;
        }
        return encoding;
    }

    private String compression(JsonNode source) {
        String compression = fields.string(source, "/source", "compression", false);
        if (compression == null) {
            return "auto";
        }
        if (!SourceFormat.COMPRESSIONS.contains(compression)) {
            fields.problem("/source/compression", "unknown compression '" + compression + "'"
                    + Suggestions.didYouMean(compression, SourceFormat.COMPRESSIONS) + "; allowed: auto (gzip is "
                    + "recognized by its first bytes, whatever the file is called), gzip, none");
            return "auto";
        }
        return compression;
    }

    /** A JSON Pointer such as {@code /data/items}. */
    private Optional<String> recordsPath(JsonNode source) {
        String path = fields.string(source, "/source", "recordsPath", false);
        if (path == null) {
            return Optional.empty();
        }
        if (!path.startsWith("/") || path.matches(".*~[^01].*|.*~$")) {
            fields.problem("/source/recordsPath", "'" + path + "' is not a JSON Pointer to the array of records: "
                    + "write the keys from the document's top down, each after a '/', e.g. \"/data/items\" for "
                    + "{\"data\": {\"items\": [...]}} (leave recordsPath out when the document is the array)");
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /** A strptime format such as {@code "%d/%m/%Y %H:%M"}; the engine checks its codes. */
    private Optional<String> timeFormat(JsonNode source, String field) {
        String format = fields.string(source, "/source", field, false);
        if (format != null && !format.contains("%")) {
            fields.problem("/source/" + field, "'" + format + "' has no format codes; write how the values look with "
                    + "strptime codes, e.g. \"%d/%m/%Y %H:%M\" for 22/11/2026 14:05");
            return Optional.empty();
        }
        return Optional.ofNullable(format);
    }
}
