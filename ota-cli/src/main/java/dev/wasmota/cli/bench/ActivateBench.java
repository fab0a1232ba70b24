package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;

import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.slots.Slot;
import dev.wasmota.ecu.slots.SlotMetadata;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * {@code ota bench activate}: what activating an installed, already compiled module costs on the
 * vehicle, in its two parts, each timed on its own and summed per activation:
 *
 * <ol>
 *   <li><b>sandbox</b>: the compiled module looked up in the shared {@link CompiledModuleCache}
 *       by the digest the package gate already verified (a hit), a fresh {@link SandboxedModule} built
 *       (its worker thread, a new instance with its own memory), and the {@code init()} health check;
 *   <li><b>commit</b>: the durable state switch, {@link SlotStore#commit} of the staged slot
 *       (the package this store staged from memory is not read back; writes {@code state.json} to a temp file,
 *       fsync, rename, fsync of the directory).
 * </ol>
 *
 * Each activation commits a newly staged version (staging itself is the install's work and is
 * not timed). Signature verification is not part of it: activation follows a verified install.
 */
public final class ActivateBench {
    static final String MODULE_ID = "activate-bench";

    /**
     * @param wasm the module to activate
     * @param capabilities what its imports need
     * @param warmup activations run first, unmeasured
     * @param rounds activations measured
     * @param stateParent where the temp state directory goes (its disk's fsync is measured)
     */
    public record Options(Path wasm, CapabilitySet capabilities, int warmup, int rounds, Path stateParent) {
        public Options {
            if (rounds < 1 || warmup < 0) {
                throw new IllegalArgumentException("rounds must be at least 1 and warmup at least 0");
            }
        }
    }

    /**
     * Medians, 99th percentiles and maxima in nanoseconds; the first activation of the JVM
     * separately; and, for reference, one bare durable replacement of a file of the state's size
     * in the same directory (write, fsync, rename, fsync of the directory): the storage's floor
     * under any durable commit.
     */
    public record Result(long sandboxP50, long sandboxP99, long commitP50, long commitP99, long totalP50,
            long totalP99, long totalMax, long firstTotal, long durableWriteP50, int rounds) {
        public List<String> lines() {
            return List.of(
                    ms("activate_sandbox_ms_p50", sandboxP50), ms("activate_sandbox_ms_p99", sandboxP99),
                    ms("activate_commit_ms_p50", commitP50), ms("activate_commit_ms_p99", commitP99),
                    ms("activate_ms_p50", totalP50), ms("activate_ms_p99", totalP99), ms("activate_ms_max", totalMax),
                    ms("activate_first_ms", firstTotal), ms("durable_write_ms_p50", durableWriteP50),
                    "activate_rounds=" + rounds);
        }
    }

    static String ms(String name, long nanos) {
        return String.format(Locale.ROOT, "%s=%.3f", name, nanos / 1e6);
    }

    public Result run(Options o) throws IOException {
        return run(o, i -> { });
    }

    /** As {@link #run(Options)}, calling {@code progress} after each activation with its index. */
    public Result run(Options o, IntConsumer progress) throws IOException {
        byte[] wasm = Files.readAllBytes(o.wasm());
        String wasmSha256 = Digests.sha256Hex(wasm);
        Path state = Files.createTempDirectory(o.stateParent(), "ota-bench-activate");
        try (BenchPackages packages = new BenchPackages(o.capabilities())) {
            CompiledModuleCache cache = new CompiledModuleCache();
            cache.get(wasm, o.capabilities()); // the install compiled it
            SlotStore slots = SlotStore.open(state);
            HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> { });
            ModuleLimits limits = new ModuleLimits(16, 10_000, 10);
            int total = o.warmup() + o.rounds();
            long[] sandbox = new long[o.rounds()];
            long[] commit = new long[o.rounds()];
            long[] sum = new long[o.rounds()];
            long[] durable = new long[o.rounds()];
            long first = 0;
            for (int i = 0; i < total; i++) {
                String version = "1.0." + i;
                byte[] pkg = packages.build(wasm, BenchPackages.spec(MODULE_ID, version, 1, o.capabilities()));
                Slot slot = slots.stage(MODULE_ID, pkg, SlotMetadata.forPackage(pkg, version, 1, wasmSha256,
                        Instant.now()));

                long t0 = System.nanoTime();
                CompiledModule compiled = cache.get(wasmSha256, wasm, o.capabilities());
                SandboxedModule module = SandboxedModule.builder(compiled).id(MODULE_ID).limits(limits)
                        .environment(env).build();
                CallResult health = module.init();
                long t1 = System.nanoTime();
                slots.commit(MODULE_ID, slot);
                long t2 = System.nanoTime();

                module.close();
                if (!health.ok()) {
                    throw new IllegalStateException("health check failed: " + health);
                }
                Path stateFile = state.resolve("modules").resolve(MODULE_ID).resolve("state.json");
                long t3 = System.nanoTime();
                DurableFiles.writeAtomic(stateFile.resolveSibling("bench-reference.json"), Files.readAllBytes(stateFile));
                long durableNanos = System.nanoTime() - t3;
                if (i == 0) {
                    first = t2 - t0;
                }
                int k = i - o.warmup();
                if (k >= 0) {
                    sandbox[k] = t1 - t0;
                    commit[k] = t2 - t1;
                    sum[k] = t2 - t0;
                    durable[k] = durableNanos;
                }
                progress.accept(i);
            }
            Percentiles s = Percentiles.of(sandbox);
            Percentiles c = Percentiles.of(commit);
            Percentiles t = Percentiles.of(sum);
            return new Result(s.median(), s.percentile(99), c.median(), c.percentile(99), t.median(),
                    t.percentile(99), t.max(), first, Percentiles.of(durable).median(), o.rounds());
        } finally {
            BenchPackages.deleteTree(state);
        }
    }
}
