package io.tributary.local;

import com.microsoft.azure.functions.annotation.BlobTrigger;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.tributary.functions.FunctionApp;
import io.tributary.run.RunLayout;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.storage.QueueActivity;
import io.tributary.storage.StorageClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Functions host: drives the app's function classes against a storage account (Azurite)
 * with the queue, blob and timer trigger semantics of the Azure Functions host. Settings must be in
 * place ({@link io.tributary.settings.Settings}) before it starts.
 */
public final class LocalHost implements AutoCloseable {

    /** The package whose {@code @FunctionName} methods make up the app. */
    public static final String FUNCTIONS_PACKAGE = "io.tributary.functions";

    private final StorageClients storage;
    private final HostJson hostJson;
    private final HostLog log;
    private final String hostId;
    private final List<FunctionEntry> functions;
    private final FunctionInstanceInjector injector;
    private final List<Runnable> stoppers = new ArrayList<>();
    private final int httpPort;
    private ExecutorService listeners;
    private ExecutorService workers;
    private HttpListener http;

    /** A host that serves no HTTP functions. */
    public LocalHost(StorageClients storage, HostJson hostJson, HostLog log, String hostId) {
        this(storage, hostJson, log, hostId, -1);
    }

    /**
     * A host that makes its function instances with the injector the app registers, as the Java worker does: a new
     * one, so this host's functions build their app afresh from the settings in place when it first invokes one.
     */
    public LocalHost(StorageClients storage, HostJson hostJson, HostLog log, String hostId, int httpPort) {
        this(storage, hostJson, log, hostId, httpPort, Invoker.registered(LocalHost.class.getClassLoader()));
    }

    /**
     * @param httpPort where HTTP functions are served on loopback: {@value HttpListener#DEFAULT_PORT} as
     *                 {@code func start} does (another free port when that one is taken), 0 for any free port, -1
     *                 for none
     * @param injector makes the function instances; the app's own ({@code io.tributary.functions.AppInjector}), so
     *                 that local runs go through the wiring the worker uses
     */
    public LocalHost(StorageClients storage, HostJson hostJson, HostLog log, String hostId, int httpPort,
                     FunctionInstanceInjector injector) {
        this.httpPort = httpPort;
        this.injector = injector;
        this.storage = storage;
        this.hostJson = hostJson;
        this.log = log;
        this.hostId = hostId;
        this.functions = FunctionIndex.scan(FUNCTIONS_PACKAGE, LocalHost.class.getClassLoader());
    }

    public List<FunctionEntry> functions() {
        return functions;
    }

    /** Starts a listener per function; returns at once. */
    public synchronized void start() {
        // The functions learn from this when an attempt is the last, as host.json's value would tell them in Azure.
        Settings.overlay(Map.of(FunctionApp.MAX_DEQUEUE_COUNT, Integer.toString(hostJson.maxDequeueCount())));
        storage.provision();
        storage.queue(RunLayout.BLOB_TRIGGER_POISON_QUEUE).createIfNotExists();
        AtomicInteger threads = new AtomicInteger();
        listeners = Executors.newCachedThreadPool(r -> daemon(r, "listener-" + threads.incrementAndGet()));
        int queueFunctions = (int) functions.stream().filter(f -> f.trigger() instanceof QueueTrigger).count();
        workers = Executors.newFixedThreadPool(Math.max(1, queueFunctions * (hostJson.batchSize()
                + hostJson.newBatchThreshold())), r -> daemon(r, "invocation-" + threads.incrementAndGet()));
        Invoker invoker = new Invoker(log, injector);
        for (FunctionEntry function : functions) {
            if (function.trigger() instanceof QueueTrigger trigger) {
                QueueListener listener = new QueueListener(function, storage.queue(trigger.queueName()),
                        storage.queue(RunLayout.poisonQueue(trigger.queueName())), hostJson, invoker, workers, log);
                storage.queue(trigger.queueName()).createIfNotExists();
                storage.queue(RunLayout.poisonQueue(trigger.queueName())).createIfNotExists();
                stoppers.add(listener::stop);
                AutoCloseable subscription = QueueActivity.subscribe(queue -> {
                    if (queue.equals(trigger.queueName())) {
                        listener.wake();
                    }
                });
                stoppers.add(() -> closeQuietly(subscription));
                listeners.execute(listener);
                log.info("  " + function.name() + ": queueTrigger on " + trigger.queueName());
            } else if (function.trigger() instanceof BlobTrigger) {
                BlobListener listener = new BlobListener(function, storage.blobs(),
                        storage.queue(RunLayout.BLOB_TRIGGER_POISON_QUEUE), hostJson, invoker, log, hostId);
                stoppers.add(listener::stop);
                listeners.execute(listener);
                log.info("  " + function.name() + ": blobTrigger on " + ((BlobTrigger) function.trigger()).path());
            } else if (function.trigger() instanceof TimerTrigger) {
                TimerListener listener = new TimerListener(function, storage.blobs(), invoker, log, hostId);
                stoppers.add(listener::stop);
                listeners.execute(listener);
                log.info("  " + function.name() + ": timerTrigger " + listener.schedule());
            }
        }
        if (httpPort >= 0 && functions.stream().anyMatch(f -> f.trigger() instanceof HttpTrigger)) {
            http = serveHttp(invoker);
            http.start();
            functions.stream().filter(f -> f.trigger() instanceof HttpTrigger)
                    .forEach(f -> log.info("  " + f.name() + ": httpTrigger " + http.describe(f)));
        }
    }

    /** Runs {@code stopper} when the host stops, after its listeners stop polling. */
    public synchronized void onStop(Runnable stopper) {
        stoppers.add(stopper);
    }

    /** Where HTTP functions are served, e.g. {@code http://127.0.0.1:7071/api/}; empty when they are not. */
    public Optional<URI> httpBase() {
        return Optional.ofNullable(http).map(HttpListener::base);
    }

    private HttpListener serveHttp(Invoker invoker) {
        try {
            try {
                return new HttpListener(functions, httpPort, invoker, log, workers);
            } catch (BindException e) {
                if (httpPort == 0) {
                    throw e;
                }
                log.warn("port " + httpPort + " is taken; HTTP functions are served on another free port");
                return new HttpListener(functions, 0, invoker, log, workers);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP functions: " + e.getMessage(), e);
        }
    }

    /**
     * Stops polling and lets running invocations finish, each kind within {@code grace}: first the
     * listeners (blob and timer invocations run on them), then the queue invocations they handed out.
     */
    public synchronized void stop(Duration grace) {
        stoppers.forEach(Runnable::run);
        if (http != null) {
            http.stop();
            http = null;
        }
        if (listeners == null) {
            return;
        }
        listeners.shutdown();
        try {
            if (!listeners.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("a blob or timer invocation still ran after " + grace.toSeconds() + " s; its blob fires "
                        + "again once its receipt's lease ends");
                listeners.shutdownNow();
            }
            workers.shutdown();
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("queue invocations still ran after " + grace.toSeconds() + " s; their messages are "
                        + "delivered again when their leases end");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listeners = null;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, "tributary-" + name);
        t.setDaemon(true);
        return t;
    }
}
