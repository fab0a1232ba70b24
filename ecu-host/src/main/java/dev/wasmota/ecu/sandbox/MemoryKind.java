package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ByteBufferMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.function.Function;

/**
 * How an instance's linear memory is held: Chicory's two implementations, which its compiled
 * code reaches through the same interface but HotSpot compiles quite differently (a heap
 * {@code byte[]} read through byte-array view handles, or a {@code ByteBuffer}). The sandbox uses
 * {@link #DEFAULT}, chosen by measurement ({@code ota bench compute --memory}, docs/BENCHMARKS.md).
 */
public enum MemoryKind {
    /** A heap {@code byte[]} ({@code ByteArrayMemory}). */
    BYTE_ARRAY(ByteArrayMemory::new),
    /** A {@code ByteBuffer} ({@code ByteBufferMemory}), Chicory 1.7.5's default. */
    BYTE_BUFFER(ByteBufferMemory::new);

    /** What every sandbox uses unless told otherwise. */
    public static final MemoryKind DEFAULT = BYTE_ARRAY;

    private final Function<MemoryLimits, Memory> factory;

    MemoryKind(Function<MemoryLimits, Memory> factory) {
        this.factory = factory;
    }

    /** For {@code Instance.Builder.withMemoryFactory}. */
    public Function<MemoryLimits, Memory> factory() {
        return factory;
    }
}
