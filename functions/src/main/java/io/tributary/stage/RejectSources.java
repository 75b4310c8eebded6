package io.tributary.stage;

import io.tributary.run.BlobRef;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Names the source of every rejected row of a chunk: each JSON object in the chunk's rejects file gets a
 * {@code "source"} field first ({@code container/name} of the blob the chunk read; with the row's {@code line}
 * there, a reject is found in its source). Streams the local file line by line, before it is uploaded.
 */
final class RejectSources {

    private RejectSources() {
    }

    static void name(Path rejects, BlobRef source) {
        try {
            nameRows(rejects, source);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void nameRows(Path rejects, BlobRef source) throws IOException {
        if (rejects == null || !Files.exists(rejects) || Files.size(rejects) == 0) {
            return;
        }
        String field = "{\"source\":" + com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .textNode(source.container() + "/" + source.name()) + ",";
        Path named = rejects.resolveSibling(rejects.getFileName() + ".named");
        try (BufferedReader in = Files.newBufferedReader(rejects, StandardCharsets.UTF_8);
             BufferedWriter out = Files.newBufferedWriter(named, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line.startsWith("{") && !line.startsWith("{}") ? field + line.substring(1) : line);
                out.write('\n');
            }
        }
        Files.move(named, rejects, StandardCopyOption.REPLACE_EXISTING);
    }
}
