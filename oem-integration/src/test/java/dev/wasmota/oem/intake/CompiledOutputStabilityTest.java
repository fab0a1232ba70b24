package dev.wasmota.oem.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bookend rests on Chicory's compiler being deterministic: {@code compiledSha256} (the class
 * bytes, without the zip's timestamps and the properties comment) must be the same however often
 * the same module is compiled. Every corpus module the compiler takes is compiled twice.
 */
class CompiledOutputStabilityTest {
    /** Enough for every corpus module's imports. */
    static final CapabilitySet ALL = CapabilitySet.parse("log,clock,can.read:0-1fffffff,can.write:0-1fffffff,i2c:1:50");
    private static final Map<String, String> DIGESTS = new HashMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"healthy_v1", "healthy_v2", "brake_temp", "empty", "runaway", "memory_bomb", "oob_load",
            "recursion", "forbidden_import", "failing_init", "trap_storm", "large_100k", "sha256"})
    void compilingTwiceGivesTheSameDigest(String module) {
        byte[] wasm = Fixtures.wasm(module + ".wasm");
        String first = CompiledModule.compile(wasm, ALL).compiledSha256();
        String second = CompiledModule.compile(wasm, ALL).compiledSha256();
        assertEquals(first, second, module);
        synchronized (DIGESTS) {
            DIGESTS.forEach((other, digest) -> assertNotEquals(digest, first, module + " and " + other));
            DIGESTS.put(module, first);
        }
    }
}
