package io.tributary.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.microsoft.azure.functions.ExecutionContext;
import io.tributary.definition.DefinitionAccess;
import io.tributary.run.RunState;
import io.tributary.run.RunId;
import io.tributary.definition.DefinitionCheck;
import io.tributary.definition.PipelineCatalog;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Json;
import io.tributary.run.RunLayout;
import io.tributary.run.RunOutcome;
import io.tributary.run.Stage;
import io.tributary.run.StoreMessage;
import io.tributary.start.FileDropStage;
import io.tributary.start.RunStarter;
import io.tributary.stage.RunStore;
import io.tributary.stage.StoreStage;
import io.tributary.testing.CapturingLogger;
import io.tributary.testing.InMemoryBlobStore;
import io.tributary.testing.InMemoryStageQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function class built with what it needs, as a test can now build it: in-memory storage, a mocked
 * {@link ExecutionContext}; no Functions host, no Azurite, no app settings.
 */
class FunctionClassesTest {

    private static final String DEFINITION = """
            {"schemaVersion": 1, "name": "orders", "trigger": {"type": "fileDrop", "path": "orders/*.csv"},
             "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]}""";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T06:00:00Z"), ZoneOffset.UTC);
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    private final InMemoryStageQueue queue = new InMemoryStageQueue();
    private final RunStore runs = new RunStore(blobs);
    private final CapturingLogger log = new CapturingLogger();

    private ExecutionContext context() {
        ExecutionContext context = mock(ExecutionContext.class);
        when(context.getLogger()).thenReturn(log.logger());
        when(context.getInvocationId()).thenReturn("unit-invocation");
        when(context.getFunctionName()).thenReturn("unit");
        return context;
    }

    /** Drops {@code name} in the landing container and calls the fileDrop function for it; the run it started. */
    private RunId drop(Path defs, String name) throws Exception {
        Files.writeString(defs.resolve("orders.json"), DEFINITION);
        PipelineCatalog catalog = PipelineCatalog.load(defs, DefinitionCheck.NONE, DefinitionAccess.DEFAULT);
        blobs.put(RunLayout.LANDING, name, "id\n1\n".getBytes(StandardCharsets.UTF_8));
        FileDropFunction function = new FileDropFunction(new FileDropStage(() -> catalog,
                new RunStarter(runs, queue, clock), blobs));

        function.run(null, name, context());

        assertEquals(1, queue.sent().size(), "one extract message: " + queue.sent());
        return queue.sent().get(0).message().runId();
    }

    @Test
    void fileDropStartsTheRunOfThePipelineListeningToThePathAndSaysSoTaggedWithIt(@TempDir Path defs)
            throws Exception {
        RunId runId = drop(defs, "orders/a.csv");

        InMemoryStageQueue.Sent sent = queue.sent().get(0);
        assertEquals(RunLayout.EXTRACT_QUEUE, sent.queue());
        ExtractMessage message = (ExtractMessage) sent.message();
        assertEquals(List.of("orders", RunLayout.LANDING, "orders/a.csv"),
                List.of(message.pipeline(), message.source().container(), message.source().name()));
        assertEquals(List.of("[run=" + runId + " pipeline=orders stage=fileDrop chunk=-] "),
                log.messages(Level.INFO).stream().map(line -> line.substring(0, line.indexOf("] ") + 2)).toList());
        assertEquals(true, runs.record(runId).isPresent(), "the run's record is written");
    }

    @Test
    void aStageFunctionsLastFailedAttemptFailsTheRunNamingTheStageAndRethrowsForThePoisonQueue(@TempDir Path defs)
            throws Exception {
        RunId runId = drop(defs, "orders/b.csv");
        StoreStage store = mock(StoreStage.class);
        IllegalStateException broken = new IllegalStateException("the manifest could not be written");
        doThrow(broken).when(store).handle(any(StoreMessage.class), anyBoolean());
        StoreFunction function = new StoreFunction(store, new StageInvocation(runs, 3, clock));
        String message = Json.compact(new StoreMessage(1, runId, "orders", 1, 0));

        assertSame(broken, assertThrows(IllegalStateException.class, () -> function.run(message, 2, context())));
        assertEquals(false, runs.outcome(runId).isPresent(), "not the last attempt: the host retries it");
        assertSame(broken, assertThrows(IllegalStateException.class, () -> function.run(message, 3, context())));

        RunOutcome outcome = runs.outcome(runId).orElseThrow();
        assertEquals(List.of(RunState.FAILED, Stage.STORE, -1, "the manifest could not be written"),
                List.of(outcome.status(), outcome.stage(), outcome.chunk(), outcome.error()));
        String tag = "[run=" + runId + " pipeline=orders stage=store chunk=-] ";
        assertEquals(List.of(tag + "store attempt 2 of 3 failed; the host retries it: " + broken,
                        tag + "store attempt 3 of 3 failed, the last: the run fails and the message goes to "
                                + "pipeline-store-poison: " + broken),
                log.messages(Level.WARNING));
    }

    @Test
    void theTableVacuumLogsEachTableAndGoesOnPastOneThatFails(@TempDir Path work) {
        String table = """
                {"schemaVersion": 1, "name": "%s", "trigger": {"type": "fileDrop", "path": "%s/*.csv"},
                 "source": {"format": "csv"}, "columns": [{"name": "id", "type": "long"}]%s}""";
        List<io.tributary.definition.PipelineDefinition> definitions = java.util.stream.Stream.of(
                table.formatted("broken", "broken", ", \"output\": {\"table\": {}}"),
                table.formatted("fine", "fine", ", \"output\": {\"table\": {\"retention\": \"2d\"}}"),
                table.formatted("plain", "plain", "")).map(json -> io.tributary.definition.DefinitionReader
                .read("p.json", json, null).definition().orElseThrow()).toList();
        blobs.put(RunLayout.TRAINING, "broken/table/_delta_log/00000000000000000000.json",
                "not a log".getBytes(StandardCharsets.UTF_8));
        io.tributary.table.RunTables tables = io.tributary.table.RunTables.standard(blobs, clock, work,
                io.tributary.engine.EngineLimits.DEFAULT);
        TableVacuumFunction function = new TableVacuumFunction(new io.tributary.table.CatalogVacuum(
                () -> PipelineCatalog.of(definitions), tables, runId -> runs.outcome(runId).isPresent(), clock));

        function.run("{}", context());

        assertEquals(List.of("table training/fine/table/: vacuum deleted 0 files, 0 bytes (0 removed before "
                + "2026-11-20T06:00:00Z, 0 never committed); kept 0 files no version reads yet"),
                log.messages(Level.INFO));
        assertEquals(List.of("the table of pipeline broken was not vacuumed: training/broken/table/_delta_log/"
                + "00000000000000000000.json line 1 is not a Delta log action: Unrecognized token 'not': was "
                + "expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                log.messages(Level.WARNING));
    }
}
