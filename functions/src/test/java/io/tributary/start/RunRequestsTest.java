package io.tributary.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.run.RunRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A request body read exactly, and parameters checked against what the pipeline uses; no storage needed. */
class RunRequestsTest {

    private static String refused(String body) {
        return assertThrows(IllegalArgumentException.class, () -> RunRequests.parse(body)).getMessage();
    }

    @Test
    void aBodyWithEveryFieldIsReadAsWritten() {
        assertEquals(new RunRequest(Map.of("region", "emea", "size", "40", "dry", "true"), true, "nightly-1"),
                RunRequests.parse("{\"parameters\": {\"region\": \"emea\", \"size\": 40, \"dry\": true}, "
                        + "\"fullRefresh\": true, \"requestId\": \"nightly-1\"}"));
        assertEquals(new RunRequest(Map.of(), false, null), RunRequests.parse(""));
        assertEquals(new RunRequest(Map.of(), false, null), RunRequests.parse("{}"));
    }

    @Test
    void anUnknownFieldIsNamedWithTheOneMeant() {
        assertEquals("unknown field 'fullRefersh' in the body; did you mean 'fullRefresh'?; the fields are "
                + "parameters, fullRefresh and requestId", refused("{\"fullRefersh\": true}"));
        assertEquals("unknown field 'params' in the body; the fields are parameters, fullRefresh and requestId",
                refused("{\"params\": {}}"));
    }

    @Test
    void wrongTypesAndBrokenJsonAreSaidInTheRequestsTermsNotJavas() {
        assertEquals("fullRefresh must be true or false, not the string \"yes\"", refused("{\"fullRefresh\": \"yes\"}"));
        assertEquals("parameters must be an object of names and values like {\"region\": \"emea\"}, not an array",
                refused("{\"parameters\": [\"emea\"]}"));
        assertEquals("parameters.region must be a string (or a number or true/false), not an object",
                refused("{\"parameters\": {\"region\": {\"name\": \"emea\"}}}"));
        assertEquals("requestId must be a non-empty string that names the request, not the number 7",
                refused("{\"requestId\": 7}"));
        assertEquals("the body must be a JSON object like {\"parameters\": {\"region\": \"emea\"}, \"fullRefresh\": "
                + "false, \"requestId\": \"…\"} (every field optional), not an array", refused("[1]"));
        String notJson = refused("size=40");
        assertEquals("the body is not JSON (line 1, column 5: Unrecognized token 'size': was expecting (JSON String, "
                + "Number, Array, Object or token 'null', 'true' or 'false')); send an object like {\"parameters\": "
                + "{\"region\": \"emea\"}, \"fullRefresh\": false, \"requestId\": \"…\"} (every field optional)", notJson);
    }

    private static PipelineDefinition definition(String json) {
        return DefinitionReader.read("p.json", json, null).definition().orElseThrow();
    }

    @Test
    void parametersThePipelineDoesNotUseAreRefusedNamingTheOnesItUses() {
        PipelineDefinition rest = definition("""
                {"schemaVersion": 1, "name": "segment",
                 "source": {"rest": {"url": "https://crm.example.com/contacts?page_size={size}&region={region}",
                                     "headers": {"X-Tenant": "{tenant}"}, "records": "/data"}},
                 "columns": [{"name": "id", "type": "long"}]}""");
        PipelineDefinition sql = definition("""
                {"schemaVersion": 1, "name": "ledger",
                 "source": {"sql": {"url": "jdbc:postgresql://db/erp", "user": "reader", "password": "%DB_PASSWORD%",
                                    "query": "SELECT id FROM orders WHERE placed >= :windowStart AND placed < :windowEnd"}},
                 "columns": [{"name": "id", "type": "long"}]}""");
        PipelineDefinition dropped = definition("""
                {"schemaVersion": 1, "name": "contacts", "trigger": {"type": "fileDrop", "path": "crm/{tenant}/*.csv"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""");
        PipelineDefinition plain = definition("""
                {"schemaVersion": 1, "name": "shops", "source": {"format": "csv", "blob": "reference/shops.csv"},
                 "columns": [{"name": "id", "type": "long"}]}""");

        assertEquals(List.of("region", "size", "tenant"), List.copyOf(rest.parameterNames()));
        assertEquals(List.of("windowEnd", "windowStart"), List.copyOf(sql.parameterNames()));
        assertEquals(List.of("tenant"), List.copyOf(dropped.parameterNames()));
        ManualRuns.requireUsed(rest, Set.of("size", "region"));
        ManualRuns.requireUsed(sql, Set.of("windowStart"));

        assertEquals("pipeline 'segment' does not use the parameter 'sise'; did you mean 'size'?; it uses region, "
                + "size, tenant", assertThrows(IllegalArgumentException.class,
                () -> ManualRuns.requireUsed(rest, Set.of("size", "sise"))).getMessage());
        assertEquals("pipeline 'ledger' does not use the parameters 'a', 'b'; it uses windowEnd, windowStart",
                assertThrows(IllegalArgumentException.class,
                        () -> ManualRuns.requireUsed(sql, Set.of("b", "a"))).getMessage());
        assertEquals("pipeline 'shops' does not use the parameter 'region'; it uses none (a REST source refers to one "
                + "as {name} in its url or headers, a SQL query as :name, a landing path captures one as {name})",
                assertThrows(IllegalArgumentException.class,
                        () -> ManualRuns.requireUsed(plain, Set.of("region"))).getMessage());
    }
    private static String refusedRequest(String requestId, Map<String, String> parameters) {
        return assertThrows(IllegalArgumentException.class, () -> new ManualRuns.Request(requestId, parameters, false,
                java.util.Optional.empty())).getMessage();
    }

    @Test
    void nullFieldsAndRequestsOverTheLimitsAreRefusedSayingWhich() {
        assertEquals("parameters is null; leave the field out, or give it a value", refused("{\"parameters\": null}"));
        assertEquals("requestId is null; leave the field out, or give it a value", refused("{\"requestId\": null}"));
        assertEquals("the body must be a JSON object like {\"parameters\": {\"region\": \"emea\"}, \"fullRefresh\": "
                + "false, \"requestId\": \"…\"} (every field optional), not null", refused("null"));

        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 33; i++) {
            many.put("p" + i, "v");
        }
        assertEquals("33 parameters are given; a run takes at most 32", refusedRequest("r", many));
        assertEquals("the parameter name '" + "n".repeat(40) + "…' is 65 characters long; a name is at most 64",
                refusedRequest("r", Map.of("n".repeat(65), "v")));
        assertEquals("the value of parameter region is 4097 characters long; a value is at most 4096 (pass a large "
                + "input as a file: --input FILE, or a blob the source reads)",
                refusedRequest("r", Map.of("region", "e".repeat(4_097))));
        Map<String, String> wide = new java.util.HashMap<>();
        for (int i = 0; i < 9; i++) {
            wide.put("p" + i, "v".repeat(4_000));
        }
        assertEquals("the parameters take 36073 bytes together (as JSON); a run's parameters take at most 32768 (pass "
                + "a large input as a file)", refusedRequest("r", wide));
        assertEquals("the request id is 201 characters long; it is at most 200 (a UUID or a name such as "
                + "nightly-2026-11-22)", refusedRequest("r".repeat(201), Map.of()));
        assertEquals("the request id holds a tab or line break; use printable characters only",
                refusedRequest("nightly\n1", Map.of()));
        assertEquals(Map.of("region", "emea"), new ManualRuns.Request("nightly-1", Map.of("region", "emea"), false,
                java.util.Optional.empty()).parameters());
    }
}
