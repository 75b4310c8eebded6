package io.tributary.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The most heap this JVM has had in use at once. The heap's use is a saw: it climbs until a collection and drops
 * after it, so the peaks are the use just before each collection — summed over the heap pools from each
 * collection's notification — and, between collections, the use a poll every few milliseconds sees.
 */
final class HeapPeak {

    private final AtomicLong peak = new AtomicLong();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    /** Starts listening to collections and polling every {@code pollMillis}. */
    static HeapPeak start(long pollMillis) {
        HeapPeak heap = new HeapPeak();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        heap.beforeCollection(GarbageCollectionNotificationInfo
                                .from((CompositeData) notification.getUserData()).getGcInfo().getMemoryUsageBeforeGc());
                    }
                }, null, null);
            }
        }
        Thread poller = new Thread(() -> {
            while (true) {
                heap.note(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "tributary-heap-peak");
        poller.setDaemon(true);
        poller.start();
        return heap;
    }

    private void beforeCollection(Map<String, MemoryUsage> usage) {
        note(usage.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum());
    }

    void note(long used) {
        peak.accumulateAndGet(used, Math::max);
    }

    long bytes() {
        return peak.get();
    }
}
