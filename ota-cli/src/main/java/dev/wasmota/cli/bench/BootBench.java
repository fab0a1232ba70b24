package dev.wasmota.cli.bench;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.InstallContext;
import dev.wasmota.ecu.InstallResult;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.PackageSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * {@code ota bench boot}: a vehicle starting with a big module (about 1 MB of WASM, 100,000
 * functions) installed beside a small one: how long after {@link EcuHost#start} each module's
 * first tick completes. Both are installed first (released with the OEM's compiled-output
 * statement, as intake makes them); each boot then opens the state afresh with an empty
 * in-memory compiled-module cache, as a new {@code ecu run} process does. The first boot is the
 * JVM's first (as in a fresh process); medians and maxima are over every boot.
 */
public final class BootBench {
    static final String BIG = "boot-big";
    static final String SMALL = "boot-small";
    private static final long TIMEOUT_NANOS = 120_000_000_000L;

    /**
     * @param big the big module (normally {@code many_functions.wasm}), no imports
     * @param small the small module (normally {@code healthy_v1.wasm}) and what its imports need
     * @param rounds boots measured
     * @param stateParent where the temp state directory goes
     */
    public record Options(Path big, Path small, CapabilitySet smallCapabilities, int rounds, Path stateParent) {
        public Options {
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be at least 1");
            }
        }
    }

    /** Milliseconds from start to each module's first completed tick; installs; compilations during the boots. */
    public record Result(double smallFirst, double bigFirst, double smallP50, double bigP50, double smallMax,
            double bigMax, double bigInstall, long compilations, int bigWasmBytes, int rounds) {
        public List<String> lines() {
            return List.of(f("boot_small_first_tick_ms_first", smallFirst), f("boot_big_first_tick_ms_first", bigFirst),
                    f("boot_small_first_tick_ms_p50", smallP50), f("boot_big_first_tick_ms_p50", bigP50),
                    f("boot_small_first_tick_ms_max", smallMax), f("boot_big_first_tick_ms_max", bigMax),
                    f("boot_big_install_ms", bigInstall), "boot_compilations=" + compilations,
                    "boot_big_wasm_bytes=" + bigWasmBytes, "boot_rounds=" + rounds);
        }

        private static String f(String name, double ms) {
            return String.format(Locale.ROOT, "%s=%.1f", name, ms);
        }
    }

    public Result run(Options o) throws IOException, InterruptedException {
        return run(o, i -> { });
    }

    /** As {@link #run(Options)}, calling {@code progress} after each boot with its index. */
    public Result run(Options o, IntConsumer progress) throws IOException, InterruptedException {
        byte[] big = Files.readAllBytes(o.big());
        byte[] small = Files.readAllBytes(o.small());
        Path state = Files.createTempDirectory(o.stateParent(), "ota-bench-boot");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> { });
        try (BenchPackages packages = new BenchPackages(o.smallCapabilities())) {
            byte[] bigPkg = packages.released(big, spec(BIG, CapabilitySet.EMPTY, 10_000));
            byte[] smallPkg = packages.released(small, spec(SMALL, o.smallCapabilities(), 2_000));
            double bigInstall;
            try (EcuHost host = EcuHost.open(config(state, packages, env, new CompiledModuleCache()), quiet)) {
                bigInstall = require(host.install(bigPkg, InstallContext.manual())).totalMillis();
                require(host.install(smallPkg, InstallContext.manual()));
            }
            double[] smallMs = new double[o.rounds()];
            double[] bigMs = new double[o.rounds()];
            long compilations = 0;
            for (int i = 0; i < o.rounds(); i++) {
                CompiledModuleCache cache = new CompiledModuleCache();
                double[] firstTicks = boot(config(state, packages, env, cache), quiet);
                smallMs[i] = firstTicks[0];
                bigMs[i] = firstTicks[1];
                compilations += cache.compilations();
                progress.accept(i);
            }
            return new Result(smallMs[0], bigMs[0], median(smallMs), median(bigMs), max(smallMs), max(bigMs),
                    bigInstall, compilations, big.length, o.rounds());
        } finally {
            BenchPackages.deleteTree(state);
        }
    }

    /** One boot: milliseconds from {@link EcuHost#start} to the first tick of the small and of the big module. */
    private static double[] boot(HostConfig config, PrintStream quiet) throws InterruptedException {
        double[] out = {Double.NaN, Double.NaN};
        try (EcuHost host = EcuHost.open(config, quiet)) {
            long t0 = System.nanoTime();
            host.start();
            while (Double.isNaN(out[0]) || Double.isNaN(out[1])) {
                long now = System.nanoTime();
                if (now - t0 > TIMEOUT_NANOS) {
                    throw new IllegalStateException("a module did not tick within 120 s: " + host.stats());
                }
                Map<String, ModuleStats> stats = host.stats();
                if (Double.isNaN(out[0]) && ticked(stats, SMALL)) {
                    out[0] = (now - t0) / 1e6;
                }
                if (Double.isNaN(out[1]) && ticked(stats, BIG)) {
                    out[1] = (now - t0) / 1e6;
                }
                Thread.sleep(1);
            }
        }
        return out;
    }

    private static boolean ticked(Map<String, ModuleStats> stats, String id) {
        ModuleStats s = stats.get(id);
        return s != null && s.calls() > 0;
    }

    private static HostConfig config(Path state, BenchPackages packages, HostEnvironment env, CompiledModuleCache cache) {
        return HostConfig.builder(state, packages.trust()).environment(env).compiledModules(cache).build();
    }

    private static PackageSpec spec(String id, CapabilitySet capabilities, long deadlineUs) {
        return new PackageSpec(id, "1.0.0", 1, PackageSpec.UNASSIGNED, capabilities, 1, deadlineUs, 10, List.of(),
                Optional.empty());
    }

    private static InstallResult require(InstallResult r) {
        if (r.outcome() != InstallResult.Outcome.COMMITTED) {
            throw new IllegalStateException("install was not committed: " + r);
        }
        return r;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(Double.NaN);
    }
}
