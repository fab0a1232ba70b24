package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.compiler.internal.ByteClassCollector;
import com.dylibso.chicory.compiler.internal.ClassCollector;
import com.dylibso.chicory.compiler.internal.Compiler;
import com.dylibso.chicory.compiler.internal.CompilerResult;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import dev.wasmota.contract.error.RejectedException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * Chicory's compiler under a time bound, in two steps: the JVM bytecode is generated into memory
 * (checking the bound after each class, the unit Chicory emits), then loaded once through
 * Chicory's own cache path ({@link MachineFactoryCompiler.Builder#withCache}). Chicory's
 * {@code MachineFactoryCompiler} alone loads and verifies every function-group class twice (once
 * to try the chunk size, once for the result) and cannot be stopped; the bytes and the digest are
 * the same either way (held equal by {@code ModuleCompilerTest}). The same load path takes a
 * stored output whose digest the caller verified, without compiling.
 */
final class ModuleCompiler {
    private ModuleCompiler() {
    }

    /**
     * A compiled module: the machine factory for instances, the digest of the output it was
     * loaded from, and that output serialized to keep (a compressed jar: 4 MB for the 1 MB module,
     * whose classes take 24 MB).
     */
    record Output(Function<Instance, Machine> factory, String sha256, byte[] serialized) {
    }

    /**
     * Generates and loads {@code module}'s bytecode.
     *
     * @param wasmBytes the module's size, which sets its bound
     * @throws RejectedException {@link HostPolicyFailure#COMPILE_TOO_SLOW} past {@code budget}
     * @throws CancellationException when the thread is interrupted (checked after each class)
     * @throws RuntimeException what Chicory throws for a module it cannot compile
     */
    static Output compile(WasmModule module, long wasmBytes, CompileBudget budget) {
        long start = System.nanoTime();
        Duration bound = budget.forModule(wasmBytes);
        Output out = load(module, generate(module, start, bound, wasmBytes, budget));
        requireWithin(start, bound, wasmBytes, budget);
        return out;
    }

    /**
     * Generates {@code module}'s bytecode without loading it: what a second compilation needs
     * to confirm the first gives the same output.
     */
    static CompilerOutput generate(WasmModule module, long wasmBytes, CompileBudget budget) {
        return generate(module, System.nanoTime(), budget.forModule(wasmBytes), wasmBytes, budget);
    }

    /**
     * Loads an output whose digest the caller checked against the OEM's statement; nothing is
     * compiled. Chicory reads back exactly the entries the digest covers, from an uncompressed jar.
     */
    static Output load(WasmModule module, CompilerOutput verified) {
        if (module.digest() == null) {
            throw new IllegalStateException("Chicory's parser computed no module digest (its DIGEST_ALGORITHM"
                    + " property is 'none'); compiled output cannot be handed to its cache");
        }
        byte[] jar = verified.toStoredJar();
        Function<Instance, Machine> factory = MachineFactoryCompiler.builder(module).withCache(new Cache() {
            @Override
            public byte[] get(String key) {
                return jar;
            }

            @Override
            public void putIfAbsent(String key, byte[] data) {
                throw new IllegalStateException("Chicory compiled instead of loading the output handed to it");
            }
        }).compile();
        return new Output(factory, verified.sha256(), verified.serialized());
    }

    private static CompilerOutput generate(WasmModule module, long start, Duration bound, long wasmBytes,
            CompileBudget budget) {
        long deadline = start + bound.toNanos();
        CompilerResult result;
        try {
            result = Compiler.builder(module)
                    .withInterpreterFallback(InterpreterFallback.FAIL)
                    .withClassCollectorFactory(() -> new BoundedCollector(deadline))
                    .build()
                    .compile();
        } catch (PastBound e) {
            if (e.interrupted) {
                throw new CancellationException("compilation interrupted");
            }
            throw tooSlow(System.nanoTime() - start, bound, wasmBytes, budget);
        }
        requireWithin(start, bound, wasmBytes, budget);
        return CompilerOutput.of(result.collector().mainClassName(), result.classBytes());
    }

    private static void requireWithin(long start, Duration bound, long wasmBytes, CompileBudget budget) {
        long elapsed = System.nanoTime() - start;
        if (elapsed > bound.toNanos()) {
            throw tooSlow(elapsed, bound, wasmBytes, budget);
        }
    }

    private static RejectedException tooSlow(long elapsedNanos, Duration bound, long wasmBytes, CompileBudget budget) {
        return new RejectedException(HostPolicyFailure.COMPILE_TOO_SLOW, "compiling the module (" + wasmBytes
                + " bytes) took over " + elapsedNanos / 1_000_000 + " ms, past its bound of " + bound.toMillis()
                + " ms (" + budget + "); stopped");
    }

    /** Collects the generated classes in memory and stops the compiler once past the deadline. */
    private static final class BoundedCollector implements ClassCollector {
        private final ByteClassCollector classes = new ByteClassCollector();
        private final long deadline;

        BoundedCollector(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public String mainClassName() {
            return classes.mainClassName();
        }

        @Override
        public void putMainClass(String className, byte[] bytes) {
            check();
            classes.putMainClass(className, bytes);
        }

        @Override
        public void put(String name, byte[] data) {
            check();
            classes.put(name, data);
        }

        @Override
        public void putAll(ClassCollector collector) {
            check();
            classes.putAll(collector);
        }

        @Override
        public Map<String, byte[]> classBytes() {
            return classes.classBytes();
        }

        @Override
        public byte[] resolve(Class<?> clazz) {
            return classes.resolve(clazz);
        }

        private void check() {
            if (Thread.currentThread().isInterrupted()) {
                throw new PastBound(true);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new PastBound(false);
            }
        }
    }

    /** Thrown through Chicory's compiler to stop it, past the bound or interrupted; turned into the refusal above. */
    private static final class PastBound extends RuntimeException {
        final boolean interrupted;

        PastBound(boolean interrupted) {
            super(interrupted ? "interrupted" : "past the compile bound", null, false, false);
            this.interrupted = interrupted;
        }
    }
}
