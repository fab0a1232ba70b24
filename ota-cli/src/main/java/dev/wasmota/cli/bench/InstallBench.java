package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.InstallContext;
import dev.wasmota.ecu.InstallResult;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * {@code ota bench install}: a module from package bytes to committed through
 * {@link EcuHost#install}: both signatures verified, host policy, staged durably in the inactive
 * slot, compiled, instantiated, {@code init()} health check, durable commit, floor raised, every
 * step in the audit log. Each install is a new version with a new security version, and a new
 * build of the module (the same code with a custom section naming the build), so each is
 * compiled as a real update would be. Packages are built and signed before timing.
 */
public final class InstallBench {
    static final String MODULE_ID = "install-bench";

    /**
     * @param wasm the module (normally {@code large_100k.wasm}, ~100 KB)
     * @param capabilities what its imports need
     * @param warmup installs run first, unmeasured
     * @param rounds installs measured
     * @param stateParent where the temp state directory goes
     */
    public record Options(Path wasm, CapabilitySet capabilities, int warmup, int rounds, Path stateParent) {
        public Options {
            if (rounds < 1 || warmup < 0) {
                throw new IllegalArgumentException("rounds must be at least 1 and warmup at least 0");
            }
        }
    }

    /**
     * Milliseconds: the whole install, the share {@link InstallResult#compileMillis} reports
     * (compile plus the trial sandbox's first instance), Chicory's compilation alone, and the rest.
     */
    public record Result(double totalP50, double totalP99, double totalMax, double compileP50,
            double chicoryCompileP50, double restP50, double firstTotal, int packageBytes, int rounds) {
        public List<String> lines() {
            return List.of(
                    f("install_ms_p50", totalP50), f("install_ms_p99", totalP99), f("install_ms_max", totalMax),
                    f("install_compile_ms_p50", compileP50), f("install_chicory_compile_ms_p50", chicoryCompileP50),
                    f("install_without_compile_ms_p50", restP50), f("install_first_ms", firstTotal),
                    "install_package_bytes=" + packageBytes, "install_rounds=" + rounds);
        }

        private static String f(String name, double ms) {
            return String.format(Locale.ROOT, "%s=%.1f", name, ms);
        }
    }

    public Result run(Options o) throws IOException {
        return run(o, i -> { });
    }

    /** As {@link #run(Options)}, calling {@code progress} after each install with its index. */
    public Result run(Options o, IntConsumer progress) throws IOException {
        byte[] base = Files.readAllBytes(o.wasm());
        int total = o.warmup() + o.rounds();
        Path state = Files.createTempDirectory(o.stateParent(), "ota-bench-install");
        try (BenchPackages packages = new BenchPackages(o.capabilities())) {
            byte[][] wasm = new byte[total][];
            byte[][] pkgs = new byte[total][];
            for (int i = 0; i < total; i++) {
                wasm[i] = BenchPackages.withBuildTag(base, i + 1);
                pkgs[i] = packages.build(wasm[i],
                        BenchPackages.spec(MODULE_ID, "1." + (i + 1) + ".0", i + 1, o.capabilities()));
            }
            CompiledModuleCache cache = new CompiledModuleCache(4);
            HostConfig config = HostConfig.builder(state, packages.trust()).compiledModules(cache).build();
            double[] totals = new double[o.rounds()];
            double[] compiles = new double[o.rounds()];
            double[] chicory = new double[o.rounds()];
            double[] rest = new double[o.rounds()];
            double first = 0;
            try (EcuHost host = EcuHost.open(config, new PrintStream(OutputStream.nullOutputStream()))) {
                for (int i = 0; i < total; i++) {
                    InstallResult r = host.install(pkgs[i], InstallContext.manual());
                    if (r.outcome() != InstallResult.Outcome.COMMITTED) {
                        throw new IllegalStateException("install " + i + " was not committed: " + r);
                    }
                    if (i == 0) {
                        first = r.totalMillis();
                    }
                    int k = i - o.warmup();
                    if (k >= 0) {
                        totals[k] = r.totalMillis();
                        compiles[k] = r.compileMillis();
                        chicory[k] = cache.get(wasm[i], o.capabilities()).compileNanos() / 1e6;
                        rest[k] = r.totalMillis() - r.compileMillis();
                    }
                    progress.accept(i);
                }
            }
            Percentiles t = Percentiles.of(micros(totals));
            return new Result(t.median() / 1e3, t.percentile(99) / 1e3, t.max() / 1e3,
                    Percentiles.of(micros(compiles)).median() / 1e3, Percentiles.of(micros(chicory)).median() / 1e3,
                    Percentiles.of(micros(rest)).median() / 1e3, first, pkgs[total - 1].length, o.rounds());
        } finally {
            BenchPackages.deleteTree(state);
        }
    }

    private static long[] micros(double[] ms) {
        long[] out = new long[ms.length];
        for (int i = 0; i < ms.length; i++) {
            out[i] = Math.round(ms[i] * 1e3);
        }
        return out;
    }
}
