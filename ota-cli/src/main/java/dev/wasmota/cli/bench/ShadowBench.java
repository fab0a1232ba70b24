package dev.wasmota.cli.bench;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.InstallContext;
import dev.wasmota.ecu.ShadowBudget;
import dev.wasmota.ecu.ShadowReport;
import dev.wasmota.ecu.ShadowRule;
import dev.wasmota.ecu.ShadowSpec;
import dev.wasmota.ecu.ShadowTolerance;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.PackageSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The active module's cost with a shadow beside it, through the real host ({@link EcuHost}):
 * healthy_v1 active, ticking on its period, measured for {@code duration} alone and then for
 * {@code duration} with healthy_v2 as its shadow (called after each active tick on the active's
 * reads, its writes captured and compared; a rule that never decides). Per phase: the active's
 * deadline misses, its ticks, and the CPU time its worker thread used per tick (the call, the
 * host's work around it, and with the shadow the recording, the input replay and the hand-off
 * to the shadow's worker), read from the JVM's per-thread CPU clock; the shadow's thread's CPU per
 * tick, the ticks it compared and skipped. Targets: no misses, the active's tick overhead at most doubled.
 */
public final class ShadowBench {
    private static final String ID = "healthy";
    private static final CapabilitySet CAPS = CapabilitySet.parse("log,clock,can.read:120,can.write:220");

    /**
     * @param corpus the directory holding the test modules
     * @param duration how long each phase is measured
     * @param warmup how long the active runs before measuring
     * @param periodMillis the active's period
     * @param deadlineMicros both versions' deadline
     */
    public record Options(Path corpus, Duration duration, Duration warmup, long periodMillis, long deadlineMicros) {
    }

    /** One phase: the active's ticks, misses, CPU per tick of its worker, and the shadow's if there was one. */
    public record Phase(long ticks, long misses, long activeCpuNsPerTick, long shadowCpuNsPerTick, long compared,
            long skipped) {
    }

    public record Result(Phase alone, Phase shadowed, ShadowReport report) {
        public List<String> lines() {
            double overhead = (double) shadowed.activeCpuNsPerTick() / Math.max(1, alone.activeCpuNsPerTick());
            return List.of(
                    "alone_ticks=" + alone.ticks(),
                    "alone_deadline_misses=" + alone.misses(),
                    "alone_active_cpu_ns_per_tick=" + alone.activeCpuNsPerTick(),
                    "shadowed_ticks=" + shadowed.ticks(),
                    "shadowed_deadline_misses=" + shadowed.misses(),
                    "shadowed_active_cpu_ns_per_tick=" + shadowed.activeCpuNsPerTick(),
                    "shadowed_shadow_cpu_ns_per_tick=" + shadowed.shadowCpuNsPerTick(),
                    "shadow_compared_ticks=" + shadowed.compared(),
                    "shadow_skipped_ticks=" + shadowed.skipped(),
                    "shadow_disagreements=" + report.disagreements(),
                    "active_call_ns_p50=" + report.activeCallNanos().p50(),
                    "active_call_ns_p99=" + report.activeCallNanos().p99(),
                    "shadow_call_ns_p50=" + report.shadowCallNanos().p50(),
                    "shadow_call_ns_p99=" + report.shadowCallNanos().p99(),
                    String.format(Locale.ROOT, "active_tick_overhead_x=%.2f", overhead));
        }
    }

    public Result run(Options o) throws IOException, InterruptedException {
        Path state = Files.createTempDirectory("ota-bench-shadow");
        try (BenchPackages packages = new BenchPackages(CAPS)) {
            byte[] v1 = packages.released(Files.readAllBytes(o.corpus().resolve("healthy_v1.wasm")), spec("1.0.0", 1, o));
            byte[] v2 = packages.released(Files.readAllBytes(o.corpus().resolve("healthy_v2.wasm")), spec("2.0.0", 2, o));
            HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> { });
            env.can().set(0x120, 42);
            HostConfig config = HostConfig.builder(state, packages.trust()).environment(env).build();
            try (EcuHost host = EcuHost.open(config, new PrintStream(new ByteArrayOutputStream()))) {
                host.shadowBudget(new ShadowBudget(1024, Runtime.getRuntime().availableProcessors()));
                host.install(v1, InstallContext.manual());
                host.start();
                host.awaitStarted(Duration.ofSeconds(30));
                Thread.sleep(o.warmup().toMillis());
                Phase alone = measure(host, o.duration(), Optional.empty());
                host.startShadow(v2, InstallContext.manual(), new ShadowSpec(ShadowTolerance.exact(),
                        new ShadowRule(ShadowRule.MAX_TICKS, 1.0, Long.MAX_VALUE)));
                Thread.sleep(o.warmup().toMillis());
                Phase shadowed = measure(host, o.duration(), Optional.of(host));
                ShadowReport report = host.shadow(ID).orElseThrow();
                host.discardShadow(ID, "bench", "measured");
                return new Result(alone, shadowed, report);
            }
        } finally {
            BenchPackages.deleteTree(state);
        }
    }

    private static PackageSpec spec(String version, long securityVersion, Options o) {
        return new PackageSpec(ID, version, securityVersion, PackageSpec.UNASSIGNED, CAPS, 1, o.deadlineMicros(),
                o.periodMillis(), List.of(), Optional.empty());
    }

    private static Phase measure(EcuHost host, Duration d, Optional<EcuHost> shadowed) throws InterruptedException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        ModuleStats before = host.stats().get(ID);
        long activeCpu = threadCpu(cpu, "ecu-module-" + ID);
        long shadowCpu = threadCpu(cpu, "ecu-module-" + ID + "_shadow");
        Optional<ShadowReport> r0 = shadowed.flatMap(h -> h.shadow(ID));
        Thread.sleep(d.toMillis());
        ModuleStats after = host.stats().get(ID);
        long ticks = Math.max(1, after.calls() - before.calls());
        long activeUsed = threadCpu(cpu, "ecu-module-" + ID) - activeCpu;
        long shadowUsed = shadowed.isPresent() ? threadCpu(cpu, "ecu-module-" + ID + "_shadow") - shadowCpu : 0;
        Optional<ShadowReport> r1 = shadowed.flatMap(h -> h.shadow(ID));
        long compared = r1.map(ShadowReport::compared).orElse(0L) - r0.map(ShadowReport::compared).orElse(0L);
        long skipped = r1.map(ShadowReport::skipped).orElse(0L) - r0.map(ShadowReport::skipped).orElse(0L);
        return new Phase(ticks, after.deadlineMisses() - before.deadlineMisses(), activeUsed / ticks,
                shadowUsed / ticks, compared, skipped);
    }

    /** CPU time of the live thread named {@code name}, 0 if there is none. */
    private static long threadCpu(ThreadMXBean cpu, String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .map(t -> Math.max(0, cpu.getThreadCpuTime(t.getId()))).orElse(0L);
    }
}
