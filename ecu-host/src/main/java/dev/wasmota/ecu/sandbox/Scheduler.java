package dev.wasmota.ecu.sandbox;

import dev.wasmota.signing.manifest.EcuAbi;
import dev.wasmota.signing.manifest.FunctionType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs sandboxed modules, each calling {@code tick()} on its own period. Each module's own worker
 * thread ticks on its own timer ({@link TickTimer}): no thread hands the ticks out, so a slow or
 * runaway module can never delay another's ticks, and a tick costs no thread wake-up beyond the
 * worker's own timer. Counts
 * per-module statistics and Micrometer meters ({@code ecu.module.call} timer, counters
 * {@code ecu.module.deadline.misses}, {@code ecu.module.traps}, {@code ecu.module.ticks.skipped},
 * {@code ecu.module.log.dropped}, {@code ecu.module.host.overload} (ticks the host did not give the
 * CPU, never counted as faults), and {@code ecu.module.faults} tagged {@code kind} for every fault,
 * all tagged {@code module}, the counters registered at zero when the module is added); when a module's fault window
 * trips, the module is suspended and the {@link TripListener} is told, off the tick path. The
 * scheduler does not own the modules: closing it leaves them open.
 */
public final class Scheduler implements AutoCloseable {
    private static final FunctionType TICK_TYPE = FunctionType.of(List.of(), List.of());

    /** Told, on the scheduler's event thread, when a module's fault window trips. */
    @FunctionalInterface
    public interface TripListener {
        void tripped(String moduleId, ModuleStats stats, CallResult lastFault);
    }

    /** Told of every tick's result, on the module's worker thread: must be quick and must not block. */
    @FunctionalInterface
    public interface ResultListener {
        void result(String moduleId, CallResult result);
    }

    /**
     * Told, on the module's worker thread, when each tick was due, when the worker woke for it and
     * when its result had been recorded ({@link System#nanoTime()}): what {@code ota bench tick}
     * measures. Must be quick and must not block.
     */
    @FunctionalInterface
    public interface TickTimings {
        void timed(String moduleId, long dueNanos, long wokeNanos, long doneNanos);
    }

    private final MeterRegistry registry;
    private final Supplier<FaultWindow> windows;
    private final TripListener listener;
    private final ResultListener results;
    private final TickTimings timings;
    private final ExecutorService events;
    private final Map<String, ScheduledModule> modules = new LinkedHashMap<>();
    private CountDownLatch stopped = new CountDownLatch(1);
    private boolean running;

    private Scheduler(Builder b) {
        this.registry = b.registry;
        this.windows = b.windows;
        this.listener = b.listener;
        this.results = b.results;
        this.timings = b.timings;
        this.events = Executors.newSingleThreadExecutor(daemon("ecu-scheduler-events"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds a module; it starts ticking now if the scheduler runs. */
    public synchronized void add(SandboxedModule module) {
        if (!module.compiled().exportType(EcuAbi.TICK).map(TICK_TYPE::equals).orElse(false)) {
            throw new IllegalArgumentException("module " + module.id() + " exports no tick() -> ()");
        }
        if (modules.containsKey(module.id())) {
            throw new IllegalArgumentException("module " + module.id() + " is already scheduled");
        }
        ScheduledModule m = new ScheduledModule(module, windows.get(), registry, results, timings, this::tripped);
        modules.put(module.id(), m);
        if (running) {
            startTicking(m);
        }
    }

    /** Stops ticking a module (e.g. before rolling it back) and returns its final statistics. */
    public synchronized ModuleStats remove(String moduleId) {
        ScheduledModule m = modules.remove(moduleId);
        if (m == null) {
            throw new IllegalArgumentException("no module " + moduleId);
        }
        m.cancel();
        m.awaitInFlight(waitNanos(m));
        return m.stats();
    }

    /** Replaces a module by another with the same id (a rollback), with fresh statistics and window. */
    public synchronized void replace(SandboxedModule replacement) {
        if (modules.containsKey(replacement.id())) {
            remove(replacement.id());
        }
        add(replacement);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        stopped = new CountDownLatch(1);
        modules.values().forEach(this::startTicking);
    }

    /** Stops dispatching and waits for ticks in flight (each at most its deadline plus grace). */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        modules.values().forEach(ScheduledModule::cancel);
        modules.values().forEach(m -> m.awaitInFlight(waitNanos(m)));
        stopped.countDown();
    }

    /** Runs for {@code duration} or until {@link #stop()}, then returns every module's statistics. */
    public Map<String, ModuleStats> run(Duration duration) throws InterruptedException {
        CountDownLatch latch;
        synchronized (this) {
            start();
            latch = stopped;
        }
        latch.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        stop();
        return stats();
    }

    /** Statistics so far, by module id in the order added. */
    public synchronized Map<String, ModuleStats> stats() {
        Map<String, ModuleStats> out = new LinkedHashMap<>();
        modules.forEach((id, m) -> out.put(id, m.stats()));
        return out;
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        stop();
        events.shutdown();
    }

    private void startTicking(ScheduledModule m) {
        m.start();
    }

    private void tripped(ScheduledModule m, CallResult last) {
        events.execute(() -> listener.tripped(m.module.id(), m.stats(), last));
    }

    private static long waitNanos(ScheduledModule m) {
        return m.module.limits().deadlineNanos() + TimeUnit.SECONDS.toNanos(2);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Options: meter registry, fault window per module, trip listener. */
    public static final class Builder {
        private MeterRegistry registry = new SimpleMeterRegistry();
        private Supplier<FaultWindow> windows = () -> FaultWindow.defaults(Clock.systemUTC());
        private TripListener listener = (id, stats, last) -> { };
        private ResultListener results = (id, r) -> { };
        private TickTimings timings = (id, due, woke, done) -> { };

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** A new window for each module added; default 3 faults in 5 minutes on the system clock. */
        public Builder faultWindows(Supplier<FaultWindow> windows) {
            this.windows = windows;
            return this;
        }

        public Builder onTrip(TripListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder onResult(ResultListener listener) {
            this.results = listener;
            return this;
        }

        public Builder onTickTimings(TickTimings timings) {
            this.timings = timings;
            return this;
        }

        public Scheduler build() {
            return new Scheduler(this);
        }
    }
}
