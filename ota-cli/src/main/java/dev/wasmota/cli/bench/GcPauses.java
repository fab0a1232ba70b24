package dev.wasmota.cli.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's stop-the-world GC pauses while it is open, from the collectors' notifications
 * (millisecond resolution). Concurrent cycles ({@code ZGC Cycles}, {@code Shenandoah Cycles})
 * are not pauses and are left out.
 */
final class GcPauses implements AutoCloseable, NotificationListener {
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final List<Long> pausesMs = new ArrayList<>();

    GcPauses() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!gc.getName().contains("Cycles") && gc instanceof NotificationEmitter e) {
                e.addNotificationListener(this, null, null);
                emitters.add(e);
            }
        }
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            synchronized (pausesMs) {
                pausesMs.add(info.getGcInfo().getDuration());
            }
        }
    }

    List<String> lines() {
        synchronized (pausesMs) {
            long max = pausesMs.stream().mapToLong(Long::longValue).max().orElse(0);
            long total = pausesMs.stream().mapToLong(Long::longValue).sum();
            return List.of("gc_pauses=" + pausesMs.size(), String.format(Locale.ROOT, "gc_pause_ms_max=%d", max),
                    String.format(Locale.ROOT, "gc_pause_ms_total=%d", total));
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(this);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
    }
}
