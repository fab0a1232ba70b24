package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;

import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.oem.vectors.TestVectors;
import dev.wasmota.oem.vectors.VectorReport;
import dev.wasmota.oem.vectors.VectorRunner;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ota bench compute}: the median wall time of one pass over a vector file, run in the
 * vehicle's own sandbox configuration (compiled, on a worker, under a deadline), each pass on a
 * fresh instance, after one warm-up pass. Without explicit capabilities the module gets only
 * what its imports need: {@code log}, {@code clock} and CAN reads and writes on every id (I2C
 * needs an explicit {@code i2c:BUS:ADDR}).
 */
public final class ComputeBench {
    /** Budget per call: compute vectors may run long (the host's maximum). */
    public static final long DEADLINE_MICROS = ModuleLimits.MAX_DEADLINE_MICROS;
    /** Memory cap when the module declares no maximum. */
    public static final int DEFAULT_PAGES = 1024;

    /**
     * @param wasm the module
     * @param vectors its vector file
     * @param repeat passes measured (default 10)
     * @param capabilities what to grant; empty for "what the imports need"
     */
    public record Options(Path wasm, Path vectors, int repeat, Optional<CapabilitySet> capabilities) {
        public Options {
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat must be at least 1");
            }
        }

        public static Options of(Path wasm, Path vectors) {
            return new Options(wasm, vectors, 10, Optional.empty());
        }
    }

    /** Wall times of the measured passes in milliseconds, and whether every pass passed its vectors. */
    public record Result(double medianMs, double minMs, double maxMs, int passes, boolean allPassed,
            String firstFailure) {
        /** The contract's output line, e.g. {@code compute_ms=12.3}. */
        public String line() {
            return String.format(Locale.ROOT, "compute_ms=%.1f", medianMs);
        }

        public List<String> lines() {
            return List.of(line(), String.format(Locale.ROOT, "compute_min_ms=%.1f", minMs),
                    String.format(Locale.ROOT, "compute_max_ms=%.1f", maxMs), "passes=" + passes,
                    "vectors_passed=" + allPassed);
        }
    }

    public Result run(Options o) throws IOException {
        byte[] wasm = Files.readAllBytes(o.wasm());
        TestVectors vectors = TestVectors.read(o.vectors());
        CapabilitySet caps = o.capabilities().orElse(CapabilitySet.parse(
                "log,clock,can.read:0-1fffffff,can.write:0-1fffffff"));
        CompiledModule compiled = CompiledModule.compile(wasm, caps);
        ModuleLimits limits = new ModuleLimits(DEFAULT_PAGES, DEADLINE_MICROS, 1_000);
        VectorRunner runner = new VectorRunner();
        HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> { });
        try (SandboxedModule module = SandboxedModule.builder(compiled).id("compute-bench").limits(limits)
                .environment(env).build()) {
            VectorReport warmup = runner.run(module, vectors);
            long[] samples = new long[o.repeat()];
            String failure = warmup.passed() ? "" : warmup.failures().get(0).toString();
            for (int i = 0; i < samples.length; i++) {
                VectorReport r = runner.run(module, vectors);
                samples[i] = r.wallNanos();
                if (failure.isEmpty() && !r.passed()) {
                    failure = r.failures().get(0).toString();
                }
            }
            Percentiles p = Percentiles.of(samples);
            return new Result(p.median() / 1e6, p.min() / 1e6, p.max() / 1e6, samples.length,
                    failure.isEmpty(), failure);
        }
    }
}
