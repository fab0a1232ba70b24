package dev.wasmota.ecu.sandbox;

import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Compiled modules by the SHA-256 of their bytes, so that every sandbox (and every simulated
 * vehicle) running the same module shares one compilation. The digest is computed here, never
 * taken from the caller. Imports are checked against the caller's capabilities on every lookup;
 * refusals are not cached. Least recently used entries go first when the cache is full.
 */
public final class CompiledModuleCache {
    /** Default number of compiled modules kept. */
    public static final int DEFAULT_CAPACITY = 64;

    private final int capacity;
    private final Map<String, CompletableFuture<CompiledModule>> entries;
    private final AtomicLong compilations = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();

    public CompiledModuleCache() {
        this(DEFAULT_CAPACITY);
    }

    public CompiledModuleCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * The compiled module for {@code wasm}, compiling it only if no sandbox has yet.
     *
     * @throws dev.wasmota.contract.error.RejectedException as {@link CompiledModule#compile} does
     */
    public CompiledModule get(byte[] wasm, CapabilitySet capabilities) {
        return get(CompiledModule.sha256(wasm), wasm, capabilities);
    }

    /**
     * As {@link #get(byte[], CapabilitySet)}, for bytes whose SHA-256 the caller has already
     * verified (a package's module, checked against its signed manifest by the package gate), so
     * activation does not hash the module again. Never pass a digest that was not checked against
     * {@code wasm}: it is the cache key.
     */
    public CompiledModule get(String verifiedSha256, byte[] wasm, CapabilitySet capabilities) {
        return get(verifiedSha256, wasm, capabilities, CompileBudget.DEFAULT, Optional::empty);
    }

    /**
     * As {@link #get(String, byte[], CapabilitySet)}, compiling under {@code budget}; on a miss
     * {@code verifiedOutput} is asked first for a stored compiler output whose digest the caller
     * checked against the OEM's statement for this module, which is loaded instead of compiling.
     *
     * @throws dev.wasmota.contract.error.RejectedException as {@link CompiledModule#compile(byte[], CapabilitySet, CompileBudget)} does
     */
    public CompiledModule get(String verifiedSha256, byte[] wasm, CapabilitySet capabilities, CompileBudget budget,
            Supplier<Optional<CompilerOutput>> verifiedOutput) {
        String digest = verifiedSha256;
        while (true) {
            CompletableFuture<CompiledModule> mine = new CompletableFuture<>();
            CompletableFuture<CompiledModule> existing;
            synchronized (entries) {
                existing = entries.putIfAbsent(digest, mine);
                if (existing == null && entries.size() > capacity) {
                    entries.remove(entries.keySet().iterator().next());
                }
            }
            if (existing == null) {
                return compile(digest, wasm, capabilities, budget, verifiedOutput, mine);
            }
            CompiledModule shared = awaitOrNull(existing);
            if (shared != null) {
                return shared.withCapabilities(capabilities);
            }
        }
    }

    /** How many compilations this cache has run (cache misses that compiled successfully). */
    public long compilations() {
        return compilations.get();
    }

    /** How many cache misses loaded a stored, verified compiler output instead of compiling. */
    public long loads() {
        return loads.get();
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    private CompiledModule compile(String digest, byte[] wasm, CapabilitySet capabilities, CompileBudget budget,
            Supplier<Optional<CompilerOutput>> verifiedOutput, CompletableFuture<CompiledModule> mine) {
        try {
            ModuleInterface iface = CompiledModule.parse(wasm).checkImports(capabilities);
            Optional<CompilerOutput> stored = verifiedOutput.get();
            CompiledModule compiled;
            if (stored.isPresent()) {
                compiled = CompiledModule.load(digest, iface, capabilities, stored.get());
                loads.incrementAndGet();
            } else {
                compiled = CompiledModule.compileChecked(digest, iface, capabilities, wasm.length, budget);
                compilations.incrementAndGet();
            }
            mine.complete(compiled);
            return compiled;
        } catch (RuntimeException | Error e) {
            synchronized (entries) {
                entries.remove(digest, mine);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** The other caller's result, or null if its compilation failed (perhaps for its own capabilities). */
    private static CompiledModule awaitOrNull(CompletableFuture<CompiledModule> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            return null;
        }
    }
}
