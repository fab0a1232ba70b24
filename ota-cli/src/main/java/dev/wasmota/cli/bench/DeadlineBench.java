package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;

import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.ecu.sandbox.FaultWindow;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.sandbox.Realtime;
import dev.wasmota.ecu.sandbox.Scheduler;
import dev.wasmota.ecu.sandbox.Watchdog;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Eight modules on their periods under one scheduler, one of them the runaway: how far past its
 * deadline the runaway is actually stopped (p50/p99/max), and whether the seven others miss any
 * deadline meanwhile. The fault window is disabled so the runaway keeps running. With
 * {@link Realtime#fifo}, the workers and the watchdog run on {@code SCHED_FIFO}.
 */
public final class DeadlineBench {
    private static final String RUNAWAY = "runaway";
    private static final Map<String, String> HEALTHY = new LinkedHashMap<>();

    static {
        HEALTHY.put("empty", "");
        HEALTHY.put("healthy_v1", "log,clock,can.read:120,can.write:220");
        HEALTHY.put("healthy_v2", "log,clock,can.read:120,can.write:220");
        HEALTHY.put("brake_temp", "log,can.read:1A0-1B0,can.write:3A0-3A3");
        HEALTHY.put("large_100k", "log");
        HEALTHY.put("failing_init", "");
        HEALTHY.put("memory_bomb", "");
    }

    /**
     * @param corpus the directory holding the test modules ({@code runaway.wasm}, ...)
     * @param warmup how long to run first, unmeasured, so the JIT has compiled the modules
     * @param duration how long to run measuring
     * @param deadlineMicros every module's budget per tick
     * @param periodMillis every module's period
     * @param realtime the workers' and the watchdog's scheduling
     */
    public record Options(Path corpus, Duration warmup, Duration duration, long deadlineMicros, long periodMillis,
            Realtime realtime) {
        public Options(Path corpus, Duration warmup, Duration duration, long deadlineMicros, long periodMillis) {
            this(corpus, warmup, duration, deadlineMicros, periodMillis, Realtime.OFF);
        }

        public static Options defaults(Path corpus) {
            return new Options(corpus, Duration.ofSeconds(2), Duration.ofSeconds(10), 5_000, 10);
        }
    }

    /**
     * Overshoot of the runaway's stop past its deadline, and the healthy modules' record: their
     * deadline misses (counted against them), their ticks stopped or late for the host's overload
     * (not counted against them), and every tick of theirs past the deadline by the wall clock
     * whatever its verdict.
     */
    public record Result(long runawayMisses, long overshootP50Ns, long overshootP99Ns, long overshootMaxNs,
            long othersCalls, long othersDeadlineMisses, long othersWorstCallNs, long othersSkippedTicks,
            Map<String, ModuleStats> perModule, long runawayHostOverloads, long othersHostOverloads, long othersLateCalls) {
        public List<String> lines() {
            return List.of(
                    "runaway_deadline_misses=" + runawayMisses,
                    "runaway_host_overloads=" + runawayHostOverloads,
                    us("deadline_overshoot_p50_us", overshootP50Ns),
                    us("deadline_overshoot_p99_us", overshootP99Ns),
                    us("deadline_overshoot_max_us", overshootMaxNs),
                    "others_calls=" + othersCalls,
                    "others_deadline_misses=" + othersDeadlineMisses,
                    "others_host_overloads=" + othersHostOverloads,
                    "others_late_calls=" + othersLateCalls,
                    us("others_worst_call_us", othersWorstCallNs),
                    "others_skipped_ticks=" + othersSkippedTicks);
        }

        private static String us(String name, long nanos) {
            return String.format(Locale.ROOT, "%s=%.1f", name, nanos / 1e3);
        }
    }

    public Result run(Options o) throws IOException, InterruptedException {
        return run(o, () -> { });
    }

    /** As {@link #run(Options)}, calling {@code onMeasuring} when the measured run starts (after the warm-up). */
    public Result run(Options o, Runnable onMeasuring) throws IOException, InterruptedException {
        CompiledModuleCache cache = new CompiledModuleCache();
        ModuleLimits limits = new ModuleLimits(64, o.deadlineMicros(), o.periodMillis());
        HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> { });
        env.can().set(0x120, 21);
        for (int id = 0x1A0; id <= 0x1B0; id++) {
            env.can().set(id, 8_000);
        }
        ConcurrentLinkedQueue<Long> overshoots = new ConcurrentLinkedQueue<>();
        LongAdder late = new LongAdder();
        List<SandboxedModule> modules = new ArrayList<>();
        Watchdog.shared().enter(o.realtime());
        try {
            modules.add(sandbox(cache, o.corpus(), RUNAWAY, "", limits, env, o.realtime()));
            for (var e : HEALTHY.entrySet()) {
                modules.add(sandbox(cache, o.corpus(), e.getKey(), e.getValue(), limits, env, o.realtime()));
            }
            if (!o.warmup().isZero()) {
                run(modules, o.warmup(), new ConcurrentLinkedQueue<>(), new LongAdder(), limits);
            }
            onMeasuring.run();
            return result(run(modules, o.duration(), overshoots, late, limits), overshoots, late.sum());
        } finally {
            modules.forEach(SandboxedModule::close);
        }
    }

    private static Map<String, ModuleStats> run(List<SandboxedModule> modules, Duration d,
            ConcurrentLinkedQueue<Long> overshoots, LongAdder late, ModuleLimits limits) throws InterruptedException {
        try (Scheduler scheduler = Scheduler.builder()
                .faultWindows(() -> new FaultWindow(Integer.MAX_VALUE, Duration.ofMinutes(5), Clock.systemUTC()))
                .onResult((id, r) -> {
                    recordOvershoot(id, r, overshoots);
                    if (!id.equals(RUNAWAY) && r.elapsedNanos() > limits.deadlineNanos()) {
                        late.increment();
                    }
                })
                .build()) {
            modules.forEach(scheduler::add);
            return scheduler.run(d);
        }
    }

    private static void recordOvershoot(String id, CallResult r, ConcurrentLinkedQueue<Long> overshoots) {
        if (id.equals(RUNAWAY) && (r.fault() == FaultKind.DEADLINE_MISS || r.fault() == FaultKind.HOST_OVERLOAD)) {
            overshoots.add(r.overshootNanos());
        }
    }

    private static Result result(Map<String, ModuleStats> stats, ConcurrentLinkedQueue<Long> overshoots, long late) {
        ModuleStats runaway = stats.get(RUNAWAY);
        long calls = 0;
        long overloads = 0;
        long misses = 0;
        long worst = 0;
        long skipped = 0;
        for (ModuleStats s : stats.values()) {
            if (!s.module().equals(RUNAWAY)) {
                calls += s.calls();
                misses += s.deadlineMisses();
                overloads += s.hostOverloads();
                worst = Math.max(worst, s.worstCallNanos());
                skipped += s.skippedTicks();
            }
        }
        long[] samples = overshoots.stream().mapToLong(Long::longValue).toArray();
        Percentiles p = samples.length == 0 ? Percentiles.of(new long[] {0}) : Percentiles.of(samples);
        return new Result(runaway.deadlineMisses(), p.median(), p.percentile(99), p.max(),
                calls, misses, worst, skipped, Collections.unmodifiableMap(new LinkedHashMap<>(stats)),
                runaway.hostOverloads(), overloads, late);
    }

    private static SandboxedModule sandbox(CompiledModuleCache cache, Path corpus, String name, String caps,
            ModuleLimits limits, HostEnvironment env, Realtime realtime) throws IOException {
        byte[] wasm = Files.readAllBytes(corpus.resolve(name + ".wasm"));
        return SandboxedModule.builder(cache.get(wasm, CapabilitySet.parse(caps)))
                .id(name).limits(limits).environment(env).realtime(realtime).build();
    }
}
