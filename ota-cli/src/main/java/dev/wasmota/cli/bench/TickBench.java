package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.sandbox.Scheduler;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The cost of one empty {@code tick()} host→WASM→host: through the real sandbox call path (queue
 * to the module's worker, deadline armed and disarmed, result back) and as a raw call on a bare
 * instance in the caller's thread, each the median of many calls after a warm-up. The sandbox
 * path is timed twice: calls back to back (both threads still awake from the previous call), and
 * calls after an idle gap longer than any spin (both threads parked: what a tick every few
 * milliseconds paid before each module ticked itself), and the module's own periodic tick on a
 * scheduler (10 ms period): from the worker's wake-up on its timer to the tick's result recorded
 * (the host's work per tick: deadline armed, the call, statistics and meters), and how late the
 * wake-up came after the tick was due (the OS timer's slack).
 */
public final class TickBench {
    /**
     * @param wasm a module exporting {@code tick() -> ()}, normally {@code empty.wasm}
     * @param warmupCalls calls made before measuring, for the JIT
     * @param calls calls measured back to back
     * @param idleCalls calls measured each after an idle gap of {@code idleGapMicros}
     * @param idleGapMicros the gap (0 skips the idle measurement)
     */
    public record Options(Path wasm, int warmupCalls, int calls, int idleCalls, long idleGapMicros,
            Duration periodic, long periodMillis) {
        public Options {
            if (warmupCalls < 0 || calls < 1 || idleCalls < 0 || idleGapMicros < 0 || periodic.isNegative()
                    || periodMillis < 1) {
                throw new IllegalArgumentException("calls and the period must be at least 1, the other figures at least 0");
            }
        }

        /** Without the periodic part. */
        public Options(Path wasm, int warmupCalls, int calls, int idleCalls, long idleGapMicros) {
            this(wasm, warmupCalls, calls, idleCalls, idleGapMicros, Duration.ZERO, 10);
        }

        public static Options defaults(Path wasm) {
            return new Options(wasm, 50_000, 200_000, 2_000, 1_000, Duration.ofSeconds(10), 10);
        }
    }

    /**
     * Medians and 99th percentiles in nanoseconds (each includes one {@code System.nanoTime()}
     * pair); the idle figures are 0 when not measured.
     */
    public record Result(long sandboxMedianNs, long sandboxP99Ns, long idleMedianNs, long idleP99Ns,
            long rawMedianNs, long rawP99Ns, int calls, Periodic periodic) {
        public List<String> lines() {
            List<String> out = new ArrayList<>(List.of(
                    "tick_sandbox_ns_p50=" + sandboxMedianNs,
                    "tick_sandbox_ns_p99=" + sandboxP99Ns));
            if (idleMedianNs > 0) {
                out.add("tick_sandbox_after_idle_ns_p50=" + idleMedianNs);
                out.add("tick_sandbox_after_idle_ns_p99=" + idleP99Ns);
            }
            if (periodic.ticks() > 0) {
                out.add("tick_periodic_ns_p50=" + periodic.hostMedianNs());
                out.add("tick_periodic_ns_p99=" + periodic.hostP99Ns());
                out.add("tick_periodic_late_ns_p50=" + periodic.lateMedianNs());
                out.add("tick_periodic_late_ns_p99=" + periodic.lateP99Ns());
                out.add("tick_periodic_ticks=" + periodic.ticks());
            }
            out.add("tick_raw_ns_p50=" + rawMedianNs);
            out.add("tick_raw_ns_p99=" + rawP99Ns);
            out.add(String.format(Locale.ROOT, "tick_sandbox_overhead_x=%.1f",
                    (double) sandboxMedianNs / Math.max(1, rawMedianNs)));
            return out;
        }
    }

    /**
     * The module's own periodic tick on a scheduler: the host's time per tick (the worker's wake-up
     * on its timer to the result recorded) and the wake-up's lateness after the tick was due.
     */
    public record Periodic(long hostMedianNs, long hostP99Ns, long lateMedianNs, long lateP99Ns, int ticks) {
        static final Periodic NONE = new Periodic(0, 0, 0, 0, 0);
    }

    public Result run(Options o) throws IOException, InterruptedException {
        byte[] wasm = Files.readAllBytes(o.wasm());
        Periodic periodic = o.periodic().isZero() ? Periodic.NONE : periodic(wasm, o);
        long[][] sandboxed = sandboxed(wasm, o);
        long[] raw = raw(wasm, o);
        Percentiles s = Percentiles.of(sandboxed[0]);
        Percentiles r = Percentiles.of(raw);
        long idleP50 = 0;
        long idleP99 = 0;
        if (sandboxed[1].length > 0) {
            Percentiles idle = Percentiles.of(sandboxed[1]);
            idleP50 = idle.median();
            idleP99 = idle.percentile(99);
        }
        return new Result(s.median(), s.percentile(99), idleP50, idleP99, r.median(), r.percentile(99), o.calls(),
                periodic);
    }

    /**
     * Runs the periodic path hot before it is measured: {@link #WARM_MODULES} modules every
     * millisecond for {@code d}, so the JIT has compiled what a vehicle that has been running for
     * a minute runs (a module ticking every 10 ms alone would take minutes to get there).
     */
    private static void warmPeriodicPath(CompiledModule compiled, Duration d) throws InterruptedException {
        List<SandboxedModule> modules = new ArrayList<>();
        try (Scheduler scheduler = Scheduler.builder().onTickTimings((id, due, woke, done) -> { }).build()) {
            for (int i = 0; i < WARM_MODULES; i++) {
                SandboxedModule m = SandboxedModule.builder(compiled).id("tick-warm-" + i)
                        .limits(new ModuleLimits(16, 100_000, 1)).build();
                modules.add(m);
                scheduler.add(m);
            }
            scheduler.run(d);
        } finally {
            modules.forEach(SandboxedModule::close);
        }
    }

    /** Modules ticking every millisecond while the periodic path warms up. */
    static final int WARM_MODULES = 8;

    private static Periodic periodic(byte[] wasm, Options o) throws InterruptedException {
        CompiledModule compiled = CompiledModule.compile(wasm, CapabilitySet.EMPTY);
        int max = (int) Math.min(1_000_000, o.periodic().toMillis() / o.periodMillis() + 16);
        long[] host = new long[max];
        long[] late = new long[max];
        int[] n = new int[1];
        warmPeriodicPath(compiled, o.periodic().dividedBy(3));
        try (SandboxedModule m = SandboxedModule.builder(compiled).id("tick-periodic")
                        .limits(new ModuleLimits(16, 100_000, o.periodMillis())).build();
                Scheduler scheduler = Scheduler.builder().onTickTimings((id, due, woke, done) -> {
                    if (n[0] < max) {
                        host[n[0]] = done - woke;
                        late[n[0]++] = woke - due;
                    }
                }).build()) {
            scheduler.add(m);
            scheduler.run(o.periodic());
        }
        int ticks = n[0];
        if (ticks == 0) {
            return Periodic.NONE;
        }
        Percentiles h = Percentiles.of(java.util.Arrays.copyOf(host, ticks));
        Percentiles l = Percentiles.of(java.util.Arrays.copyOf(late, ticks));
        return new Periodic(h.median(), h.percentile(99), l.median(), l.percentile(99), ticks);
    }

    /** Back-to-back samples, then after-idle samples. */
    private static long[][] sandboxed(byte[] wasm, Options o) {
        CompiledModule compiled = CompiledModule.compile(wasm, CapabilitySet.EMPTY);
        try (SandboxedModule m = SandboxedModule.builder(compiled).id("tick-bench")
                .limits(new ModuleLimits(16, 100_000, 10)).build()) {
            for (int i = 0; i < o.warmupCalls(); i++) {
                m.call("tick");
            }
            long[] samples = new long[o.calls()];
            for (int i = 0; i < samples.length; i++) {
                long t0 = System.nanoTime();
                m.call("tick");
                samples[i] = System.nanoTime() - t0;
            }
            long[] idle = new long[o.idleGapMicros() == 0 ? 0 : o.idleCalls()];
            for (int i = 0; i < idle.length; i++) {
                LockSupport.parkNanos(o.idleGapMicros() * 1_000);
                long t0 = System.nanoTime();
                m.call("tick");
                idle[i] = System.nanoTime() - t0;
            }
            return new long[][] {samples, idle};
        }
    }

    private static long[] raw(byte[] wasm, Options o) {
        WasmModule module = Parser.parse(wasm);
        Instance instance = Instance.builder(module).withMachineFactory(MachineFactoryCompiler.compile(module)).build();
        ExportFunction tick = instance.export("tick");
        for (int i = 0; i < o.warmupCalls(); i++) {
            tick.apply();
        }
        long[] samples = new long[o.calls()];
        for (int i = 0; i < samples.length; i++) {
            long t0 = System.nanoTime();
            tick.apply();
            samples[i] = System.nanoTime() - t0;
        }
        return samples;
    }
}
