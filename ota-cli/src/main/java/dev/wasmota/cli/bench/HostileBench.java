package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;

import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.ecu.sandbox.FaultWindow;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.sandbox.Scheduler;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile module beside a healthy neighbour under one scheduler: the hostile one behaves for
 * {@code armAt} ticks, then on every tick asks each of its 16 tables to grow by ~10 million
 * entries ({@code table_bomb_16.wasm}). What the neighbour (healthy_v1) keeps of its deadlines
 * (calls, misses, worst and p99 call time, skipped ticks), the host's heap (sampled every 5 ms),
 * and what became of the grows (the module counts its successes and its -1s; the sandbox counts
 * the refusals at the cap). Fault windows are disabled, so a misbehaving module keeps running.
 * With a harmless module in the hostile's place ({@code empty.wasm}) it gives the baseline: the
 * same neighbour on the same machine without the attack.
 */
public final class HostileBench {
    private static final String NEIGHBOUR = "healthy_v1";
    private static final String NEIGHBOUR_CAPS = "log,clock,can.read:120,can.write:220";
    private static final long HEAP_SAMPLE_MILLIS = 5;

    /**
     * @param corpus the directory holding the test modules
     * @param hostile the hostile module's file name (exports {@code arm}, {@code grown}, {@code refused})
     * @param duration how long to run
     * @param periodMillis both modules' period
     * @param deadlineMicros both modules' budget per tick
     * @param armAt the hostile module's first growing tick
     * @param tableElements the hostile module's cap on table elements; 0: what it declares (no growth)
     */
    public record Options(Path corpus, String hostile, Duration duration, long periodMillis, long deadlineMicros,
            int armAt, long tableElements) {
        public static Options defaults(Path corpus) {
            return new Options(corpus, "table_bomb_16.wasm", Duration.ofSeconds(10), 10, 10_000, 100, 0);
        }
    }

    /** The neighbour's record, the hostile module's, and the heap's peak. */
    public record Result(long neighbourCalls, long neighbourMisses, long neighbourOtherFaults, long neighbourSkipped,
            long neighbourWorstNs, long neighbourP99Ns, long neighbourP50Ns, long hostileCalls, long hostileFaults,
            long hostileGrown, long hostileRefused, long refusedAtTheCap, long abandonedWorkers, long heapPeakBytes,
            long heapBeforeBytes) {
        public List<String> lines() {
            return List.of(
                    "neighbour_calls=" + neighbourCalls,
                    "neighbour_deadline_misses=" + neighbourMisses,
                    "neighbour_other_faults=" + neighbourOtherFaults,
                    "neighbour_skipped_ticks=" + neighbourSkipped,
                    us("neighbour_worst_call_us", neighbourWorstNs),
                    us("neighbour_p99_call_us", neighbourP99Ns),
                    us("neighbour_p50_call_us", neighbourP50Ns),
                    "hostile_calls=" + hostileCalls,
                    "hostile_faults=" + hostileFaults,
                    "hostile_grows_succeeded=" + hostileGrown,
                    "hostile_grows_refused=" + hostileRefused,
                    "host_grows_refused_at_cap=" + refusedAtTheCap,
                    "abandoned_workers=" + abandonedWorkers,
                    mb("heap_before_mb", heapBeforeBytes),
                    mb("heap_peak_mb", heapPeakBytes));
        }

        private static String us(String name, long nanos) {
            return String.format(Locale.ROOT, "%s=%.1f", name, nanos / 1e3);
        }

        private static String mb(String name, long bytes) {
            return String.format(Locale.ROOT, "%s=%.1f", name, bytes / 1048576.0);
        }
    }

    public Result run(Options o) throws IOException, InterruptedException {
        CompiledModuleCache cache = new CompiledModuleCache();
        HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> { });
        env.can().set(0x120, 21);
        CompiledModule hostileCode = cache.get(Files.readAllBytes(o.corpus().resolve(o.hostile())), CapabilitySet.EMPTY);
        CompiledModule neighbourCode = cache.get(Files.readAllBytes(o.corpus().resolve(NEIGHBOUR + ".wasm")),
                CapabilitySet.parse(NEIGHBOUR_CAPS));
        var hostileCaps = hostileCode.declaredResources().exactCaps();
        if (o.tableElements() > 0) {
            hostileCaps = hostileCaps.withTableElements(o.tableElements());
        }
        ConcurrentLinkedQueue<Long> neighbourTimes = new ConcurrentLinkedQueue<>();
        try (SandboxedModule hostile = SandboxedModule.builder(hostileCode).id("hostile").environment(env)
                .limits(new ModuleLimits(1, o.deadlineMicros(), o.periodMillis(), hostileCaps)).build();
                SandboxedModule neighbour = SandboxedModule.builder(neighbourCode).id(NEIGHBOUR).environment(env)
                        .limits(new ModuleLimits(1, o.deadlineMicros(), o.periodMillis(),
                                neighbourCode.declaredResources().exactCaps())).build();
                HeapPeak heap = new HeapPeak()) {
            if (hostileCode.exportType("arm").isPresent()) {
                hostile.call("arm", o.armAt());
            }
            Map<String, ModuleStats> stats;
            try (Scheduler scheduler = Scheduler.builder()
                    .faultWindows(() -> new FaultWindow(Integer.MAX_VALUE, Duration.ofMinutes(5), Clock.systemUTC()))
                    .onResult((id, r) -> {
                        if (id.equals(NEIGHBOUR)) {
                            neighbourTimes.add(r.elapsedNanos());
                        }
                    })
                    .build()) {
                scheduler.add(hostile);
                scheduler.add(neighbour);
                stats = scheduler.run(o.duration());
            }
            long peak = heap.peak();
            return result(stats, neighbourTimes, count(hostile, "grown"), count(hostile, "refused"),
                    hostile.refusedTableGrows(), hostile.abandonedWorkers() + neighbour.abandonedWorkers(), peak,
                    heap.before);
        }
    }

    /** What the module's {@code export} counted; -1 if it has no such export (a baseline run) or it faulted. */
    private static long count(SandboxedModule m, String export) {
        if (m.compiled().exportType(export).isEmpty()) {
            return -1;
        }
        CallResult r = m.call(export);
        return r.ok() ? r.value(0) : -1;
    }

    private static Result result(Map<String, ModuleStats> stats, ConcurrentLinkedQueue<Long> times, long grown,
            long refused, long refusedAtCap, long abandoned, long heapPeak, long heapBefore) {
        ModuleStats n = stats.get(NEIGHBOUR);
        ModuleStats h = stats.get("hostile");
        long[] samples = times.stream().mapToLong(Long::longValue).toArray();
        Percentiles p = Percentiles.of(samples.length == 0 ? new long[] {0} : samples);
        return new Result(n.calls(), n.deadlineMisses(), n.traps() + n.otherFaults(), n.skippedTicks(),
                n.worstCallNanos(), p.percentile(99), p.median(), h.calls(), h.faults(), grown, refused, refusedAtCap,
                abandoned, heapPeak, heapBefore);
    }

    /** The largest heap use seen by a sampler thread every {@value #HEAP_SAMPLE_MILLIS} ms while it is open. */
    private static final class HeapPeak implements AutoCloseable {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler;
        private volatile boolean open = true;
        final long before;

        HeapPeak() {
            before = memory.getHeapMemoryUsage().getUsed();
            sampler = new Thread(this::sample, "bench-heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        private void sample() {
            while (open) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(HEAP_SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long peak() {
            return peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        }

        @Override
        public void close() {
            open = false;
            sampler.interrupt();
        }
    }
}
