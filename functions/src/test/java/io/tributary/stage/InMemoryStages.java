package io.tributary.stage;

import io.tributary.definition.DefinitionReader;
import io.tributary.definition.PipelineDefinition;
import io.tributary.engine.ChunkTransformer;
import io.tributary.engine.EngineLimits;
import io.tributary.engine.SchemaProbe;
import io.tributary.port.AlertSender;
import io.tributary.port.BlobStore;
import io.tributary.run.Alert;
import io.tributary.run.AlertDelivery;
import io.tributary.run.BlobRef;
import io.tributary.run.CombineMessage;
import io.tributary.run.ExtractMessage;
import io.tributary.run.Manifest;
import io.tributary.run.RunId;
import io.tributary.run.RunLayout;
import io.tributary.run.StageMessage;
import io.tributary.run.StoreMessage;
import io.tributary.run.TransformMessage;
import io.tributary.start.RunStarter;
import io.tributary.table.RunTables;
import io.tributary.testing.InMemoryBlobStore;
import io.tributary.testing.InMemoryRunIndex;
import io.tributary.testing.InMemoryStageQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real stages (and the real engine) of one pipeline's runs over the in-memory ports, with what they hand on,
 * alert and start downstream recorded: a run of a few rows goes through in well under a second. Each stage can be
 * built over another blob store (one that dies after a write) to deliver one message as an invocation that dies.
 */
final class InMemoryStages {

    static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");

    final PipelineDefinition pipeline;
    final Path work;
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    final InMemoryRunIndex index = new InMemoryRunIndex();
    final InMemoryStageQueue queue = new InMemoryStageQueue();
    final List<Alert> alerted = new ArrayList<>();
    final List<Manifest> downstream = new ArrayList<>();
    final ChunkTransformer engine = new ChunkTransformer(EngineLimits.DEFAULT);
    final RunStore runs;
    /** Where the store stage registers table versions as data assets. */
    io.tributary.port.DataAssets assets = io.tributary.port.DataAssets.NONE;

    InMemoryStages(String definition, Path work) {
        this.pipeline = DefinitionReader.read("p.json", definition, null).definition().orElseThrow();
        this.work = work;
        this.runs = runs(blobs);
    }

    /** A run store over {@code over} that writes this history and raises alerts into {@link #alerted}. */
    RunStore runs(BlobStore over) {
        AlertSender sender = alert -> {
            alerted.add(alert);
            return AlertDelivery.sent(1, "recorded by the test", alert.at());
        };
        return new RunStore(over, new Alerts(over, sender, clock), index);
    }

    ExtractStage extract(BlobStore over) {
        RunStore on = runs(over);
        return new ExtractStage(on, queue, new SchemaProbe(EngineLimits.DEFAULT),
                SourceFetch.standard(on, name -> Optional.empty(), work), work, clock);
    }

    TransformStage transform(BlobStore over) {
        return new TransformStage(runs(over), queue, engine, work, clock);
    }

    CombineStage combine(BlobStore over) {
        return new CombineStage(runs(over), queue, engine, work, clock);
    }

    StoreStage store(BlobStore over) {
        return new StoreStage(runs(over), clock, name -> List.of(), downstream::add,
                RunTables.standard(over, clock, work.resolve("tables"), EngineLimits.DEFAULT), assets);
    }

    /** Drops {@code csv} as {@code landing/name} and starts its run; returns the run's extract message. */
    ExtractMessage drop(String name, String csv) {
        return drop(name, csv, NOW);
    }

    /** As {@link #drop(String, String)}, for a blob last modified at {@code lastModified}. */
    ExtractMessage drop(String name, String csv, Instant lastModified) {
        blobs.put(RunLayout.LANDING, name, csv.getBytes(StandardCharsets.UTF_8));
        var source = new BlobRef(RunLayout.LANDING, name, blobs.properties(RunLayout.LANDING, name).orElseThrow()
                .etag());
        var runId = RunId.forDrop(pipeline.name(), source, lastModified);
        new RunStarter(runs, queue, clock).start(pipeline, runId, source, "fileDrop", Map.of());
        return new ExtractMessage(runId, pipeline.name(), source);
    }

    /** Delivers {@code message} to its stage over the real blob store, as the host would (not its last attempt). */
    void deliver(StageMessage message) {
        deliver(message, blobs);
    }

    /** Delivers {@code message} to its stage working over {@code over}. */
    void deliver(StageMessage message, BlobStore over) {
        if (message instanceof ExtractMessage extract) {
            extract(over).handle(extract, false);
        } else if (message instanceof TransformMessage transform) {
            transform(over).handle(transform, false);
        } else if (message instanceof CombineMessage combine) {
            combine(over).handle(combine, false);
        } else {
            store(over).handle((StoreMessage) message, false);
        }
    }

    /** The messages of {@code type} sent so far, in order. */
    <T extends StageMessage> List<T> sent(Class<T> type) {
        return queue.sent().stream().map(InMemoryStageQueue.Sent::message).filter(type::isInstance).map(type::cast)
                .toList();
    }

    /** Delivers every message of {@code type} sent so far, once each, in order. */
    <T extends StageMessage> List<T> deliverAll(Class<T> type) {
        List<T> messages = sent(type);
        messages.forEach(this::deliver);
        return messages;
    }

    /** Takes the run started by {@code drop} through every stage, each message delivered once. */
    void runToEnd(ExtractMessage drop) {
        deliver(drop);
        deliverAll(TransformMessage.class);
        deliverAll(CombineMessage.class);
        deliverAll(StoreMessage.class);
    }

    /** The text of a blob, or empty. */
    Optional<String> text(String container, String name) {
        return blobs.text(container, name);
    }
}
