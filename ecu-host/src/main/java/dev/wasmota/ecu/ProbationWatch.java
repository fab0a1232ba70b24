package dev.wasmota.ecu;

import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.SlotStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * While the host runs, counts how long each module's active slot has run (on the host's clock)
 * towards its {@link Probation}. A slot's time counts only while the host runs it; a sandbox the
 * host took off while its slot stayed active (its fault window tripped and no rollback was
 * possible) fails the probation, which starts again. Once {@link #start}ed, checks every few
 * seconds on a daemon thread shared by every host in the process; a failure to record progress is
 * reported and retried at the next check.
 */
final class ProbationWatch implements AutoCloseable {
    /** The longest pause between two checks. */
    static final Duration MAX_INTERVAL = Duration.ofSeconds(5);
    /** One thread checks for every host in this process (a simulated fleet has thousands). */
    private static final ScheduledExecutorService CHECKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ecu-probation");
        t.setDaemon(true);
        return t;
    });

    private record Seen(SandboxedModule sandbox, String packageSha256, long atMillis) {
    }

    private final Probation probation;
    private final SlotStore slots;
    private final Supplier<List<String>> modules;
    private final Function<String, Optional<SandboxedModule>> running;
    private final Clock clock;
    private final PrintStream events;
    private final long intervalMillis;
    private final Map<String, Seen> seen = new HashMap<>();
    private ScheduledFuture<?> schedule;
    private boolean closed;

    /**
     * @param modules the ids of the modules to watch (the quarantined left out)
     * @param running the sandbox the host runs for a module id, if any
     */
    ProbationWatch(Probation probation, SlotStore slots, Supplier<List<String>> modules,
                   Function<String, Optional<SandboxedModule>> running, Clock clock, Duration faultWindow,
                   PrintStream events) {
        this.probation = probation;
        this.slots = slots;
        this.modules = modules;
        this.running = running;
        this.clock = clock;
        this.events = events;
        this.intervalMillis = Math.max(10, Math.min(MAX_INTERVAL.toMillis(), faultWindow.toMillis() / 20));
    }

    /**
     * Checks now, on the caller's thread (so every module running is seen from this moment on),
     * then every {@code min(5 s, fault window / 20)} until closed.
     */
    ProbationWatch start() {
        checkSafely();
        schedule = CHECKS.scheduleWithFixedDelay(this::checkSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops checking after a last check (which waits for one under way), and writes what each module has served. */
    @Override
    public void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
        synchronized (this) {
            checkSafely();
            closed = true;
        }
        try {
            probation.persist();
        } catch (RuntimeException e) {
            events.println("probation: cannot record progress: " + e.getMessage());
        }
    }

    /** Counts what each watched module served since the last check; one module's failure does not stop the others'. */
    synchronized void checkSafely() {
        if (closed) {
            return;
        }
        long now = clock.millis();
        for (String id : modules.get()) {
            try {
                check(id, now);
            } catch (RuntimeException e) {
                events.println("probation: " + id + ": check failed, will retry: " + e.getMessage());
            }
        }
    }

    private void check(String id, long now) {
        Optional<ModuleState> state = slots.state(id);
        if (state.isEmpty()) {
            return;
        }
        String sha = state.get().activeMetadata().packageSha256();
        Optional<SandboxedModule> sandbox = running.apply(id);
        Seen before = seen.remove(id);
        if (sandbox.isPresent()) {
            seen.put(id, new Seen(sandbox.get(), sha, now));
        }
        if (before == null || !before.packageSha256().equals(sha)) {
            return;
        }
        if (sandbox.isEmpty() || sandbox.get() != before.sandbox()) {
            probation.failed(state.get());
        } else {
            probation.served(state.get(), now - before.atMillis());
        }
    }
}
