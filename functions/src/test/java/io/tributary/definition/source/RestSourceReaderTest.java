package io.tributary.definition.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.DefinitionResult;
import io.tributary.definition.PipelineDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code source.rest} reads into a {@link RestSource} with its defaults filled in. */
class RestSourceReaderTest {

    private static final Path ROOT = Path.of(System.getProperty("tributary.root", "."));

    private static PipelineDefinition read(String source) {
        DefinitionResult result = DefinitionReader.read("t.json", "{\"schemaVersion\": 1, \"name\": \"t\", \"source\": "
                + source + "}", null);
        assertEquals(List.of(), result.problems());
        return result.definition().orElseThrow();
    }

    @Test
    void theFixtureReadsWithEveryFieldAndTheIncrementalCursor() throws Exception {
        Path file = ROOT.resolve("functions/src/test/resources/definitions/valid/crm-contacts.json");
        PipelineDefinition definition = DefinitionReader.read(file.toString(), Files.readString(file), "crm-contacts")
                .definition().orElseThrow();

        RestSource rest = (RestSource) definition.fetched().orElseThrow();
        assertEquals("rest", rest.kind());
        assertEquals("%CRM_API_URL%/contacts?updated_after={watermark}&page_size=200", rest.url());
        assertEquals(List.of("Authorization", "Accept"), List.copyOf(rest.headers().keySet()));
        assertEquals("Bearer %CRM_API_TOKEN%", rest.headers().get("Authorization"));
        assertEquals("/data", rest.records());
        assertEquals(new RestSource.NextLink("/links/next"), rest.pagination());
        assertEquals(20, rest.timeoutSeconds());
        assertEquals(4, rest.maxAttempts());
        assertEquals(RestSource.DEFAULT_MAX_RESPONSE_BYTES, rest.maxResponseBytes());
        assertEquals(RestSource.DEFAULT_MAX_PAGES, rest.maxPages());
        assertEquals(Optional.of(new Incremental("updated_at", Optional.of("2026-01-01T00:00:00Z"))),
                definition.incremental());
        assertEquals(SourceFormat.fetched(Optional.empty(), Optional.empty()), definition.source());
    }

    @Test
    void paginationTypesReadWithTheirDefaults() {
        assertEquals(new RestSource.Single(), rest("{\"url\": \"https://x.example/a\"}").pagination());
        assertEquals(new RestSource.LinkHeader(),
                rest("{\"url\": \"https://x.example/a\", \"pagination\": {\"type\": \"linkHeader\"}}").pagination());
        assertEquals(new RestSource.Offset("offset", "limit", 100),
                rest("{\"url\": \"https://x.example/a\", \"pagination\": {\"type\": \"offset\"}}").pagination());
        assertEquals(new RestSource.Cursor("/meta/next", "cursor"), rest("{\"url\": \"https://x.example/a\", "
                + "\"pagination\": {\"type\": \"cursor\", \"cursorPath\": \"/meta/next\"}}").pagination());
        assertEquals(RestSource.of("https://x.example/a"), rest("{\"url\": \"https://x.example/a\"}"));
        assertEquals(Map.of(), rest("{\"url\": \"https://x.example/a\"}").headers());
    }

    @Test
    void aMissingUrlAndAMissingPaginationPathAreReportedWithoutAskingForAFormat() {
        DefinitionResult result = DefinitionReader.read("t.json", "{\"schemaVersion\": 1, \"name\": \"t\", \"source\": "
                + "{\"rest\": {\"pagination\": {\"type\": \"cursor\"}}}}", null);

        assertEquals(List.of("/source/rest: missing required field 'url'",
                "/source/rest/pagination: missing required field 'cursorPath'"),
                result.problems().stream().map(p -> p.pointer() + ": " + p.message()).toList());
    }

    private static RestSource rest(String json) {
        return (RestSource) read("{\"rest\": " + json + "}").fetched().orElseThrow();
    }
}
