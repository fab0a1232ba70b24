package dev.wasmota.ecu.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The cost of one empty {@code tick()} host→WASM→host: through the real sandbox call path (queue
 * to the module's worker, deadline armed and disarmed, result back) and as a raw call on a bare
 * instance in the caller's thread, each the median of many calls after a warm-up.
 */
public final class TickBench {
    /**
     * @param wasm a module exporting {@code tick() -> ()}, normally {@code empty.wasm}
     * @param warmupCalls calls made before measuring, for the JIT
     * @param calls calls measured
     */
    public record Options(Path wasm, int warmupCalls, int calls) {
        public static Options defaults(Path wasm) {
            return new Options(wasm, 20_000, 50_000);
        }
    }

    /** Medians and 99th percentiles in nanoseconds (each includes one {@code System.nanoTime()} pair). */
    public record Result(long sandboxMedianNs, long sandboxP99Ns, long rawMedianNs, long rawP99Ns, int calls) {
        public List<String> lines() {
            return List.of(
                    "tick_sandbox_median_ns=" + sandboxMedianNs,
                    "tick_sandbox_p99_ns=" + sandboxP99Ns,
                    "tick_raw_median_ns=" + rawMedianNs,
                    "tick_raw_p99_ns=" + rawP99Ns,
                    String.format(Locale.ROOT, "tick_sandbox_overhead_x=%.1f",
                            (double) sandboxMedianNs / Math.max(1, rawMedianNs)));
        }
    }

    public Result run(Options o) throws IOException {
        byte[] wasm = Files.readAllBytes(o.wasm());
        long[] sandboxed = sandboxed(wasm, o);
        long[] raw = raw(wasm, o);
        Percentiles s = Percentiles.of(sandboxed);
        Percentiles r = Percentiles.of(raw);
        return new Result(s.median(), s.percentile(99), r.median(), r.percentile(99), o.calls());
    }

    private static long[] sandboxed(byte[] wasm, Options o) {
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
            return samples;
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
