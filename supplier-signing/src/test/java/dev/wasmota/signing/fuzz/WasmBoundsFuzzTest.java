package dev.wasmota.signing.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.wasm.ModuleInterface;
import dev.wasmota.signing.wasm.WasmBounds;

/**
 * The bounded pre-check on untrusted WebAssembly and the Chicory parse behind it: refusal with a
 * reason or success, and never more allocation than a small multiple of the input.
 */
class WasmBoundsFuzzTest {
    /** WasmBounds promises to be allocation-free: allow the refusal's message and stack trace only. */
    static final long BOUNDS_ALLOCATION_LIMIT = 256 * 1024;
    /** Chicory's parse of a module that passed the pre-check: a fixed allowance plus a multiple of its size. */
    static final long PARSE_ALLOCATION_BASE = 64L << 20;
    static final long PARSE_ALLOCATION_PER_BYTE = 512;

    @FuzzTest(maxDuration = "30s")
    void boundsCheckRefusesOrPasses(byte[] wasm) {
        long allocated = FuzzFixtures.allocation(() -> {
            try {
                WasmBounds.check(wasm);
            } catch (RejectedException e) {
                FuzzFixtures.assertNamed(e);
            }
        }, BOUNDS_ALLOCATION_LIMIT);
        assertTrue(allocated <= BOUNDS_ALLOCATION_LIMIT, "WasmBounds.check allocated " + allocated + " bytes");
    }

    @FuzzTest(maxDuration = "30s")
    void readsInterfaceOrRefuses(byte[] wasm) {
        ModuleInterface[] read = new ModuleInterface[1];
        long limit = PARSE_ALLOCATION_BASE + PARSE_ALLOCATION_PER_BYTE * wasm.length;
        long allocated = FuzzFixtures.allocation(() -> {
            try {
                read[0] = ModuleInterface.read(wasm);
            } catch (RejectedException e) {
                FuzzFixtures.assertNamed(e);
            }
        }, limit);
        assertTrue(allocated <= limit, "reading " + wasm.length + " bytes allocated " + allocated + " bytes");
        ModuleInterface mi = read[0];
        if (mi == null) {
            return;
        }
        ModuleInterface again = ModuleInterface.of(mi.module());
        assertEquals(mi.exports(), again.exports());
        assertEquals(mi.imports(), again.imports());
    }
}
