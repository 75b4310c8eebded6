package io.tributary.local;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.tributary.settings.HostJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives one queue-triggered function with the Functions host's queue semantics: polling that backs
 * off to {@code maxPollingInterval} while the queue is idle; batches of {@code batchSize}, the next
 * fetched when at most {@code newBatchThreshold} are still running; a failed message retried after
 * {@code visibilityTimeout}; after {@code maxDequeueCount} failed attempts, moved to {@code <queue>-poison}.
 */
final class QueueListener implements Runnable {

    private static final Duration MIN_POLL = Duration.ofMillis(100);

    private final FunctionEntry function;
    private final QueueClient queue;
    private final QueueClient poison;
    private final HostJson host;
    private final Invoker invoker;
    private final ExecutorService workers;
    private final HostLog log;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running = true;

    QueueListener(FunctionEntry function, QueueClient queue, QueueClient poison, HostJson host, Invoker invoker,
                  ExecutorService workers, HostLog log) {
        this.function = function;
        this.queue = queue;
        this.poison = poison;
        this.host = host;
        this.invoker = invoker;
        this.workers = workers;
        this.log = log;
    }

    String queueName() {
        return ((QueueTrigger) function.trigger()).queueName();
    }

    void stop() {
        running = false;
        wake();
    }

    /** Ends the current back-off: a message was just sent to this queue. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void idle(Duration wait) throws InterruptedException {
        synchronized (signal) {
            if (!woken) {
                signal.wait(Math.max(1, wait.toMillis()));
            }
            woken = false;
        }
    }

    @Override
    public void run() {
        Duration wait = MIN_POLL;
        while (running) {
            try {
                if (inFlight.get() > host.newBatchThreshold()) {
                    idle(host.maxPollingInterval());
                    continue;
                }
                List<QueueMessageItem> batch = queue.receiveMessages(host.batchSize(), host.functionTimeout(),
                        Duration.ofSeconds(30), null).stream().toList();
                if (batch.isEmpty()) {
                    idle(wait);
                    wait = min(wait.multipliedBy(2), host.maxPollingInterval());
                    continue;
                }
                wait = MIN_POLL;
                for (QueueMessageItem message : batch) {
                    if (!running) {
                        release(message);
                        continue;
                    }
                    inFlight.incrementAndGet();
                    workers.execute(() -> {
                        try {
                            process(message);
                        } finally {
                            inFlight.decrementAndGet();
                            wake();
                        }
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("polling " + queueName() + " failed: " + firstLine(e) + "; retrying");
                    sleepQuietly(host.maxPollingInterval());
                }
            }
        }
    }

    /** Makes a message received but not started visible again at once, for another host or the next start. */
    private void release(QueueMessageItem message) {
        try {
            queue.updateMessage(message.getMessageId(), message.getPopReceipt(), null, Duration.ZERO);
        } catch (QueueStorageException e) {
            log.warn("could not release message " + message.getMessageId() + " on " + queueName() + ": "
                    + firstLine(e) + "; it becomes visible again when its lease ends");
        }
    }

    private void process(QueueMessageItem message) {
        String body = message.getBody().toString();
        try {
            invoker.invoke(function, body, Map.of("queueTrigger", body, "Id", message.getMessageId(),
                    "DequeueCount", Long.toString(message.getDequeueCount())),
                    "New queue message detected on '" + queueName() + "'.");
            queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
        } catch (Exception e) {
            fail(message, body, e);
        }
    }

    private void fail(QueueMessageItem message, String body, Exception error) {
        try {
            if (message.getDequeueCount() >= host.maxDequeueCount()) {
                poison.sendMessage(body);
                queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                log.warn("Message " + message.getMessageId() + " has reached MaxDequeueCount of "
                        + host.maxDequeueCount() + ". Moving message to queue '" + queueName() + "-poison'. Last error: "
                        + firstLine(error));
            } else {
                queue.updateMessage(message.getMessageId(), message.getPopReceipt(), null, host.visibilityTimeout());
            }
        } catch (QueueStorageException e) {
            log.warn("could not release message " + message.getMessageId() + " on " + queueName() + ": " + firstLine(e)
                    + "; it becomes visible again when its lease ends");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
