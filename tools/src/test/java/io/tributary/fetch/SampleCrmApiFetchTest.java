package io.tributary.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.source.Incremental;
import io.tributary.definition.source.RestSource;
import io.tributary.local.SampleCrmApi;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link RestFetcher} against {@link SampleCrmApi}, the stand-in CRM the demo starts: a full load, then an increment. */
class SampleCrmApiFetchTest {

    private static final RestSource CONTACTS = new RestSource("%CRM_API_URL%/contacts?updated_after={watermark}",
            Map.of("Authorization", "Bearer %CRM_API_TOKEN%"), "/data", new RestSource.NextLink("/links/next"),
            5, 3, 1_000_000, 100);
    private static final Optional<Incremental> BY_UPDATED_AT = Optional.of(new Incremental("updated_at", Optional.empty()));

    private static FetchContext context(SampleCrmApi crm, String token, Optional<String> watermark) {
        Map<String, String> settings = Map.of("CRM_API_URL", crm.baseUrl(), "CRM_API_TOKEN", token);
        return new FetchContext(Map.of(), name -> Optional.ofNullable(settings.get(name)), watermark);
    }

    @Test
    void aFullLoadThenAnIncrementReadEachContactOnce() throws Exception {
        try (SampleCrmApi crm = SampleCrmApi.start(0, "s3cret", 250, 100)) {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            FetchResult full = new RestFetcher(CONTACTS, BY_UPDATED_AT).fetch(context(crm, "s3cret", Optional.empty()),
                    first);

            assertEquals(250, full.records());
            assertEquals(Optional.of(crm.updatedAt(249)), full.highWatermark());
            assertEquals(3, full.requests().size());
            assertEquals("GET " + crm.baseUrl() + "/contacts [Authorization: ***]", full.requests().get(0));
            String[] lines = first.toString(StandardCharsets.UTF_8).split("\n");
            JsonNode last = new ObjectMapper().readTree(lines[249]);
            assertEquals(249, last.get("id").asInt());
            assertEquals("contact249@example.com", last.get("email").asText());

            crm.addContacts(5);
            crm.touch(3, SampleCrmApi.EPOCH.plusSeconds(86_400));
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            FetchResult increment = new RestFetcher(CONTACTS, BY_UPDATED_AT)
                    .fetch(context(crm, "s3cret", full.highWatermark()), second);

            // The API's filter is inclusive: it sends contact 249 again, and the fetcher drops it.
            assertEquals(6, increment.records());
            assertEquals(Optional.of(crm.updatedAt(3)), increment.highWatermark());
            assertTrue(second.toString(StandardCharsets.UTF_8).startsWith("{\"id\":250,"));
            assertEquals(1, increment.requests().size());
            assertTrue(increment.requests().get(0).contains("updated_after=2026-01-01T04%3A09%3A00Z"),
                    increment.requests().get(0));
        }
    }

    @Test
    void aWrongTokenIsACredentialsProblem() {
        try (SampleCrmApi crm = SampleCrmApi.start(0, "s3cret", 10, 5)) {
            SourceException e = assertThrows(SourceException.class, () -> new RestFetcher(CONTACTS, BY_UPDATED_AT)
                    .fetch(context(crm, "wrong", Optional.empty()), new ByteArrayOutputStream()));

            assertEquals(SourceException.Kind.CREDENTIALS, e.kind());
            assertTrue(e.getMessage().contains("check the app settings it sends: CRM_API_TOKEN (header Authorization)"),
                    e.getMessage());
            assertEquals(1, crm.requests());
        }
    }
}
