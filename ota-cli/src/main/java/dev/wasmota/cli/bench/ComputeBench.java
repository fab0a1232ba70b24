package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;

import com.dylibso.chicory.runtime.Instance;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.HostFunctions;
import dev.wasmota.ecu.sandbox.MemoryKind;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.oem.vectors.TestVectors;
import dev.wasmota.oem.vectors.VectorReport;
import dev.wasmota.oem.vectors.VectorRunner;
import dev.wasmota.oem.vectors.BareVectorRunner;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ota bench compute}: the median wall time of one pass over a vector file, run in the
 * vehicle's own sandbox configuration (compiled, on a worker, under a deadline), and the same
 * passes as raw calls: a bare compiled instance of the same module, the same vectors, in the
 * caller's thread, without isolation or deadline (the same compiled classes, so the same
 * JIT-compiled code); and their ratio, the sandbox's own cost. Both warm up first (at least a
 * pass each, for as long as asked); passes run on the instance they have (a fresh one each only with
 * {@code freshInstance}; instantiation is never timed). The two sides alternate pass by pass, so
 * a change in the machine's load hits both alike. Without explicit capabilities the module gets
 * only what its imports need: {@code log}, {@code clock} and CAN reads and writes on every id (I2C
 * needs an explicit {@code i2c:BUS:ADDR}).
 */
public final class ComputeBench {
    /** Budget per call: compute vectors may run long (the host's maximum). */
    public static final long DEADLINE_MICROS = ModuleLimits.MAX_DEADLINE_MICROS;
    /** Memory cap when the module declares no maximum. */
    public static final int DEFAULT_PAGES = 1024;
    private static final CapabilitySet ANY_IMPORT = CapabilitySet.parse("log,clock,can.read:0-1fffffff,can.write:0-1fffffff");

    /**
     * @param wasm the module
     * @param vectors its vector file
     * @param repeat passes measured (default 10)
     * @param capabilities what to grant; empty for "what the imports need"
     * @param memory how both instances hold their linear memory
     * @param freshInstance a fresh instance for every pass (default: no)
     * @param warmup how long both sides run unmeasured first (at least one pass each), so the JIT
     *     has compiled what they run
     */
    public record Options(Path wasm, Path vectors, int repeat, Optional<CapabilitySet> capabilities, MemoryKind memory,
            boolean freshInstance, Duration warmup) {
        public Options {
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat must be at least 1");
            }
        }

        public Options(Path wasm, Path vectors, int repeat, Optional<CapabilitySet> capabilities) {
            this(wasm, vectors, repeat, capabilities, MemoryKind.DEFAULT, false, Duration.ZERO);
        }

        public static Options of(Path wasm, Path vectors) {
            return new Options(wasm, vectors, 10, Optional.empty());
        }
    }

    /** Wall times of the measured passes in milliseconds, sandboxed and raw, and whether every pass passed its vectors. */
    public record Result(double medianMs, double minMs, double maxMs, double rawMedianMs, double rawMinMs, int passes,
            boolean allPassed, String firstFailure) {
        /** The contract's output line, e.g. {@code compute_ms=12.3}. */
        public String line() {
            return String.format(Locale.ROOT, "compute_ms=%.1f", medianMs);
        }

        /** The sandbox's median pass over the raw median pass. */
        public double ratio() {
            return medianMs / Math.max(1e-9, rawMedianMs);
        }

        public List<String> lines() {
            return List.of(line(), String.format(Locale.ROOT, "compute_min_ms=%.1f", minMs),
                    String.format(Locale.ROOT, "compute_max_ms=%.1f", maxMs),
                    String.format(Locale.ROOT, "compute_raw_ms=%.1f", rawMedianMs),
                    String.format(Locale.ROOT, "compute_raw_min_ms=%.1f", rawMinMs),
                    String.format(Locale.ROOT, "compute_sandbox_over_raw_x=%.2f", ratio()),
                    "passes=" + passes, "vectors_passed=" + allPassed);
        }
    }

    public Result run(Options o) throws IOException {
        byte[] wasm = Files.readAllBytes(o.wasm());
        TestVectors vectors = TestVectors.read(o.vectors());
        CapabilitySet caps = o.capabilities().orElse(ANY_IMPORT);
        CompiledModule compiled = CompiledModule.compile(wasm, caps);
        ModuleLimits limits = new ModuleLimits(DEFAULT_PAGES, DEADLINE_MICROS, 1_000);
        VectorRunner runner = new VectorRunner();
        HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> { });
        HostEnvironment rawEnv = HostEnvironment.simulated().withLog((id, line) -> { });
        Instance bare = bareInstance(compiled, limits, rawEnv, o.memory());
        BareVectorRunner raw = new BareVectorRunner(bare, rawEnv.can());
        try (SandboxedModule module = SandboxedModule.builder(compiled).id("compute-bench").limits(limits)
                .environment(env).memory(o.memory()).build()) {
            String failure = "";
            long warmUntil = System.nanoTime() + o.warmup().toNanos();
            do {
                VectorReport warmup = runner.run(module, vectors, true);
                failure = failure.isEmpty() && !warmup.passed() ? warmup.failures().get(0).toString() : failure;
                String rawFailure = raw.run(vectors, compiled.exports());
                failure = failure.isEmpty() ? rawFailure : failure;
            } while (System.nanoTime() - warmUntil < 0);
            long[] samples = new long[o.repeat()];
            long[] rawSamples = new long[o.repeat()];
            for (int i = 0; i < samples.length; i++) {
                VectorReport r = runner.run(module, vectors, o.freshInstance());
                samples[i] = r.wallNanos();
                if (failure.isEmpty() && !r.passed()) {
                    failure = r.failures().get(0).toString();
                }
                if (o.freshInstance()) {
                    bare = bareInstance(compiled, limits, rawEnv, o.memory());
                    raw = new BareVectorRunner(bare, rawEnv.can());
                }
                long t0 = System.nanoTime();
                String f = raw.run(vectors, compiled.exports());
                rawSamples[i] = System.nanoTime() - t0;
                failure = failure.isEmpty() ? f : failure;
            }
            Percentiles p = Percentiles.of(samples);
            Percentiles rp = Percentiles.of(rawSamples);
            return new Result(p.median() / 1e6, p.min() / 1e6, p.max() / 1e6, rp.median() / 1e6, rp.min() / 1e6,
                    samples.length, failure.isEmpty(), failure);
        }
    }

    /** A bare instance of the same compiled code (no worker, no deadline) with the module's host functions. */
    private static Instance bareInstance(CompiledModule compiled, ModuleLimits limits, HostEnvironment env,
            MemoryKind memory) {
        return compiled.bareInstance(new HostFunctions("raw", compiled.capabilities(), env).importValues(), limits, memory);
    }
}
