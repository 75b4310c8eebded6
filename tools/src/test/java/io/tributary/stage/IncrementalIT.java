package io.tributary.stage;

import io.tributary.run.RunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.local.SampleCrmApi;
import io.tributary.local.SamplePostgres;
import io.tributary.port.BlobStore;
import io.tributary.run.ExtractMessage;
import io.tributary.run.FetchRecord;
import io.tributary.run.Json;
import io.tributary.run.Manifest;
import io.tributary.run.RunLayout;
import io.tributary.run.Stage;
import io.tributary.run.TransformMessage;
import io.tributary.run.Watermark;
import io.tributary.storage.AzureBlobStore;
import io.tributary.testing.AzuriteExtension;
import io.tributary.testing.RunStages;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental loads from a REST API through the real stages on Azurite: the first run loads everything, a
 * committed run's high-water mark bounds the next, a run that does not commit leaves the mark where it was, a
 * full refresh loads everything again, and a redelivered extract reuses what it fetched.
 */
class IncrementalIT {

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final String TOKEN = "it-" + UUID.randomUUID();
    private static final String DEFINITION = """
            {"schemaVersion": 1, "name": "crm-contacts",
             "source": {"rest": {"url": "%CRM_API_URL%/contacts?updated_after={watermark}",
                                 "headers": {"Authorization": "Bearer %CRM_API_TOKEN%"}, "records": "/data",
                                 "pagination": {"type": "nextLink", "path": "/links/next"}},
                        "incremental": {"cursor": "updated_at"}},
             "columns": [{"name": "id", "type": "long", "nullable": false}, {"name": "name", "type": "string"},
                         {"name": "email", "type": "string"}, {"name": "company", "type": "string"},
                         {"name": "updated_at", "type": "timestamp", "timeZone": "UTC"},
                         {"name": "deleted", "type": "boolean"}]}""";

    static SampleCrmApi crm;
    static BlobStore blobs;
    static PipelineDefinition contacts;

    @BeforeAll
    static void start() {
        crm = SampleCrmApi.start(0, TOKEN, 250, 100);
        blobs = new AzureBlobStore(AZURITE.clients().blobs());
        contacts = DefinitionReader.read("crm-contacts.json", DEFINITION, "crm-contacts").definition().orElseThrow();
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    private static Optional<String> setting(String name) {
        return switch (name) {
            case "CRM_API_URL" -> Optional.of(crm.baseUrl());
            case "CRM_API_TOKEN" -> Optional.of(TOKEN);
            case "TRIBUTARY_DEFINITION_SETTINGS" -> Optional.of("CRM_API_URL,CRM_API_TOKEN");
            default -> Optional.empty();
        };
    }

    /** The stages of the contacts pipeline's runs, on the real blob store. */
    private static RunStages stages(Path dir) {
        return RunStages.on(blobs, dir, contacts, IncrementalIT::setting);
    }

    @Test
    void eachCommittedRunLoadsOnlyWhatIsNewAndAFullRefreshLoadsEverything(@TempDir Path dir) {
        RunStages stages = stages(dir);

        Manifest first = stages.commit(stages.start(Map.of()));
        assertEquals(250, first.rows().out());
        FetchRecord.WatermarkRange full = first.fetched().watermark();
        assertNull(full.low(), "the first run is a full load");
        assertEquals(crm.updatedAt(249), full.high());
        assertEquals(3, first.fetched().requests().size(), "250 contacts in pages of 100");
        assertTrue(first.fetched().requests().get(0).contains("Authorization: ***"), first.fetched().requests().get(0));

        crm.addContacts(5);
        crm.touch(7, Instant.parse(crm.updatedAt(254)).plusSeconds(30));
        Manifest second = stages.commit(stages.start(Map.of()));
        assertEquals(6, second.rows().out(), "5 new contacts and 1 changed one; the boundary record is not loaded again");
        assertEquals(full.high(), second.fetched().watermark().low());
        assertEquals(crm.updatedAt(7), second.fetched().watermark().high());

        crm.addContacts(2);
        RunId abandoned = stages.start(Map.of());
        stages.extract().handle(stages.queue().last(ExtractMessage.class), false);
        stages.runs().finish(abandoned, io.tributary.run.RunOutcome.failed(Instant.now(), Stage.TRANSFORM, 0, "killed"));
        Manifest third = stages.commit(stages.start(Map.of()));
        assertEquals(2, third.rows().out(), "a run that did not commit leaves the mark where it was");
        assertEquals(second.fetched().watermark().high(), third.fetched().watermark().low());

        Manifest nothingNew = stages.commit(stages.start(Map.of()));
        assertEquals(0, nothingNew.rows().out());
        assertEquals(third.fetched().watermark().high(), nothingNew.fetched().watermark().high(),
                "a run that reads nothing keeps the mark");

        Manifest refreshed = stages.commit(stages.start(Map.of(SourceFetch.FULL_REFRESH, "true")));
        assertEquals(257, refreshed.rows().out());
        assertTrue(refreshed.fetched().watermark().fullRefresh());
        assertNull(refreshed.fetched().watermark().low());
    }

    @Test
    void aRedeliveredExtractReusesWhatItFetched(@TempDir Path dir) {
        RunStages stages = stages(dir);
        RunId runId = stages.start(Map.of(SourceFetch.FULL_REFRESH, "true"));
        ExtractMessage extract = stages.queue().last(ExtractMessage.class);
        stages.extract().handle(extract, false);
        int requests = crm.requests();
        TransformMessage first = stages.queue().last(TransformMessage.class);

        stages.extract().handle(extract, false);

        assertEquals(requests, crm.requests(), "the second delivery fetches nothing");
        assertEquals(first, stages.queue().last(TransformMessage.class), "and hands on the same records");
        assertEquals(1, blobs.list(io.tributary.run.RunLayout.RUNS, runId + "/source/").size());
    }

    @Test
    void aDatabaseTableIsLoadedIncrementallyByItsCursorColumn(@TempDir Path dir) {
        PipelineDefinition orders = DefinitionReader.read("orders-db.json", """
                {"schemaVersion": 1, "name": "orders-db",
                 "source": {"sql": {"url": "%DB_URL%", "user": "%DB_USER%", "password": "%DB_PASSWORD%",
                                    "query": "SELECT order_id, region, amount, updated_at FROM orders WHERE region <> :skip",
                                    "fetchSize": 100},
                            "incremental": {"cursor": "updated_at"}},
                 "columns": [{"name": "order_id", "type": "long", "nullable": false},
                             {"name": "region", "type": "string"}, {"name": "amount", "type": "decimal(12,2)"},
                             {"name": "updated_at", "type": "timestamp", "timeZone": "UTC"}]}""", "orders-db")
                .definition().orElseThrow();
        try (SamplePostgres db = SamplePostgres.start(0, 900)) {
            Map<String, String> settings = Map.of("DB_URL", db.jdbcUrl(), "DB_USER", db.user(),
                    "DB_PASSWORD", db.password(), "TRIBUTARY_DEFINITION_SETTINGS", "DB_*");
            RunStages stages = RunStages.on(blobs, dir, orders, name -> Optional.ofNullable(settings.get(name)));

            Manifest first = stages.commit(stages.start(Map.of("skip", "apac")));
            assertEquals(600, first.rows().out(), "two of the three regions");
            assertEquals("2026-11-01T15:00:30Z", first.fetched().watermark().high(), "order 900 at minute 900");
            assertTrue(first.fetched().requests().stream().noneMatch(r -> r.contains(db.password())),
                    first.fetched().requests().toString());

            db.addOrders(30);
            Manifest second = stages.commit(stages.start(Map.of("skip", "apac")));
            assertEquals(20, second.rows().out(), "only the orders after the mark");
            assertEquals(first.fetched().watermark().high(), second.fetched().watermark().low());
            assertEquals("2026-11-01T15:30:30Z", second.fetched().watermark().high());
        }
    }

    @Test
    void theMarkMovesExactlyWhenItsRunsManifestIsWritten(@TempDir Path dir) {
        PipelineDefinition marks = DefinitionReader.read("crm-marks.json",
                DEFINITION.replace("\"crm-contacts\"", "\"crm-marks\""), "crm-marks").definition().orElseThrow();
        try (SampleCrmApi api = SampleCrmApi.start(0, TOKEN, 30, 100);
             SampleCrmApi empty = SampleCrmApi.start(0, TOKEN, 0, 100)) {
            java.util.concurrent.atomic.AtomicReference<String> url = new java.util.concurrent.atomic.AtomicReference<>(
                    api.baseUrl());
            RunStages stages = RunStages.on(blobs, dir, marks, name -> name.equals("CRM_API_URL")
                    ? Optional.of(url.get()) : setting(name));
            Watermarks watermarks = new Watermarks(blobs);

            Manifest first = stages.commit(stages.start(Map.of()));
            String high = first.fetched().watermark().high();
            assertEquals(Optional.of(new Watermark.Mark("updated_at", high)), watermarks.current("crm-marks"));

            watermarks.prepare("crm-marks", RunId.parse("20261122T000000Z-0123456789"),
                    new FetchRecord.WatermarkRange("updated_at", high, "2099-01-01T00:00:00Z", false));
            assertEquals(Optional.of(new Watermark.Mark("updated_at", high)), watermarks.current("crm-marks"),
                    "a mark prepared by a run that never wrote its manifest does not count");
            api.addContacts(2);
            Manifest second = stages.commit(stages.start(Map.of()));
            assertEquals(high, second.fetched().watermark().low());
            assertEquals(2, second.rows().out());

            String secondHigh = second.fetched().watermark().high();
            blobs.put(RunLayout.STATE, RunLayout.watermark("crm-marks"), Json.bytes(new Watermark("crm-marks",
                    "updated_at", high, first.runId(), first.committedAt(),
                    new Watermark.Pending(second.runId(), "updated_at", secondHigh))));
            assertEquals(Optional.of(new Watermark.Mark("updated_at", secondHigh)), watermarks.current("crm-marks"),
                    "a run whose manifest exists has moved the mark, even if its store died before settling it");
            Manifest third = stages.commit(stages.start(Map.of()));
            assertEquals(0, third.rows().out(), "what the second run committed is not read again");
            assertEquals(secondHigh, third.fetched().watermark().low());

            url.set(empty.baseUrl());
            Manifest refreshed = stages.commit(stages.start(Map.of(SourceFetch.FULL_REFRESH, "true")));
            assertEquals(0, refreshed.rows().out());
            assertEquals(Optional.of(new Watermark.Mark("updated_at", null)), watermarks.current("crm-marks"),
                    "a full refresh that found nothing resets the mark: the next run reads from the start");
            url.set(api.baseUrl());
            assertEquals(32, stages.commit(stages.start(Map.of())).rows().out());
        }
    }
}
