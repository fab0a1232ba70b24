package dev.wasmota.ecu;

import dev.wasmota.ecu.sandbox.SandboxedModule;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The loads of a host's modules at start, each on its own thread ({@code ecu-load-<id>}), so one
 * module's slow load (a compilation, a slow {@code init()}) or failed load never delays another
 * module's first tick. Closing interrupts the loads (a compilation stops at its next class) and
 * waits a bounded time for them; a load that ends after that hands its sandbox to a host that
 * closes it.
 */
final class ModuleLoaders {
    private static final System.Logger LOG = System.getLogger(ModuleLoaders.class.getName());

    private final Map<String, Thread> threads = new LinkedHashMap<>();
    /** The modules whose load has not returned yet (their thread may still be handing over the sandbox). */
    private final Set<String> loading = new HashSet<>();
    private boolean closed;

    /**
     * Runs {@code load} on a new thread and gives what it loaded to {@code arrived}, which owns it
     * from then on.
     */
    synchronized void start(String id, Supplier<Optional<SandboxedModule>> load, Consumer<SandboxedModule> arrived) {
        if (closed) {
            return;
        }
        Thread t = new Thread(() -> run(id, load, arrived), "ecu-load-" + id.replaceAll("[^A-Za-z0-9._-]", "_"));
        t.setDaemon(true);
        threads.put(id, t);
        loading.add(id);
        t.start();
    }

    /** Waits until every load started so far has ended (started its module or failed); false on timeout. */
    boolean await(long timeoutNanos) throws InterruptedException {
        List<Thread> all;
        synchronized (this) {
            all = List.copyOf(threads.values());
        }
        long until = System.nanoTime() + timeoutNanos;
        for (Thread t : all) {
            long left = until - System.nanoTime();
            if (left <= 0 && t.isAlive()) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, left));
        }
        return all.stream().noneMatch(Thread::isAlive);
    }

    /**
     * Interrupts every load still running and waits for them, at most {@code waitMillis} in all;
     * returns the ids of the modules whose load had not returned.
     */
    List<String> close(long waitMillis) {
        Map<String, Thread> running = new LinkedHashMap<>();
        synchronized (this) {
            closed = true;
            threads.forEach((id, t) -> {
                if (loading.contains(id)) {
                    running.put(id, t);
                }
            });
        }
        running.values().forEach(Thread::interrupt);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (Thread t : running.values()) {
            try {
                TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, until - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return List.copyOf(running.keySet());
    }

    private void run(String id, Supplier<Optional<SandboxedModule>> load, Consumer<SandboxedModule> arrived) {
        try {
            Optional<SandboxedModule> loaded;
            try {
                loaded = load.get();
            } finally {
                synchronized (this) {
                    loading.remove(id);
                }
            }
            loaded.ifPresent(arrived);
        } catch (RuntimeException | Error e) {
            boolean closing;
            synchronized (this) {
                closing = closed;
            }
            if (!closing) {
                LOG.log(System.Logger.Level.WARNING, "module " + id + ": load failed", e);
            }
        }
    }
}
