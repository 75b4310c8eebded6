package io.tributary.stage;

import io.tributary.run.RunId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.definition.source.SourceFormat;
import io.tributary.engine.RecordTexts;
import io.tributary.run.RunPlan;
import io.tributary.run.RunLayout;
import io.tributary.run.TransformMessage;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Gives the rows an expectation dropped in a key bucket their records as written. A bucket's rows come from every
 * chunk and name their line in the source, but their records stayed with their chunks: the chunks that hold those
 * lines are read again (their bytes only), and each record is found by its line (a Parquet row by its number).
 */
final class BucketRejectTexts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunStore runs;

    BucketRejectTexts(RunStore runs) {
        this.runs = runs;
    }

    /** Puts each dropped row's record into {@code rejects} (a bucket's rejects file), reading the chunks it needs. */
    void fill(Path rejects, RunId runId, SourceFormat declared, Path work) {
        try {
            fillNow(rejects, runId, declared, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fillNow(Path rejects, RunId runId, SourceFormat declared, Path work) throws IOException {
        if (rejects == null || !Files.exists(rejects) || Files.size(rejects) == 0) {
            return;
        }
        RunPlan plan = runs.plan(runId).orElse(null);
        // A Parquet source's rows are found in the parts extract cut, numbered on from part to part; a dataset run's
        // parts each number their rows from 1, so a line alone does not say which part it is in.
        if (plan == null || (declared.isParquet() && !RunLayout.isDecoded(plan.chunks().get(0).source()))) {
            return;
        }
        TreeSet<Long> lines = new TreeSet<>();
        try (BufferedReader in = Files.newBufferedReader(rejects, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode reject = JSON.readTree(line);
                if (reject.path("line").canConvertToLong() && !reject.path("line").isNull()) {
                    lines.add(reject.get("line").asLong());
                }
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        List<TransformMessage> chunks = plan.chunks();
        SourceFormat format = RunLayout.isDecoded(chunks.get(0).source()) && declared.isText() ? declared.decoded()
                : declared;
        long firstLine = format.isCsv() && format.header() ? 2 : 1;
        Map<Long, String> texts = new TreeMap<>();
        for (int i = 0; i < chunks.size(); i++) {
            TransformMessage chunk = chunks.get(i);
            long from = chunk.lineOffset() + firstLine;
            long to = i + 1 < chunks.size() ? chunks.get(i + 1).lineOffset() + firstLine : Long.MAX_VALUE;
            List<Long> here = new ArrayList<>(lines.subSet(from, to));
            if (here.isEmpty()) {
                continue;
            }
            Path input = download(chunk, work.resolve("records-" + i));
            long[] inChunk = here.stream().mapToLong(l -> l - chunk.lineOffset()).toArray();
            RecordTexts.of(format, input, inChunk).forEach((line, text) -> texts.put(line + chunk.lineOffset(), text));
            Files.delete(input);
        }
        Path filled = rejects.resolveSibling(rejects.getFileName() + ".filled");
        try (BufferedReader in = Files.newBufferedReader(rejects, StandardCharsets.UTF_8);
             BufferedWriter out = Files.newBufferedWriter(filled, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode reject = JSON.readTree(line);
                String text = reject.path("line").isNull() ? null : texts.get(reject.path("line").asLong());
                if (text != null && reject instanceof ObjectNode object) {
                    object.put("text", text);
                    line = JSON.writeValueAsString(object);
                }
                out.write(line);
                out.write('\n');
            }
        }
        Files.move(filled, rejects, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A chunk's bytes, after the source's header when the chunk needs it. */
    private Path download(TransformMessage chunk, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            runs.blobs().download(chunk.source(), 0, chunk.header(), out);
            runs.blobs().download(chunk.source(), chunk.offset(), chunk.length(), out);
        }
        return file;
    }
}
