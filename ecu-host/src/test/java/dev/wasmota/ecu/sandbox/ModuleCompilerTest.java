package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.wasm.Parser;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModuleCompilerTest {
    private static final CapabilitySet ALL = CapabilitySet.parse("log,clock,can.read:0-7ff,can.write:0-7ff");

    /** The OEM's statements made before this compiler path stay valid: same classes, same digest. */
    @ParameterizedTest
    @ValueSource(strings = {"healthy_v1.wasm", "brake_temp.wasm", "sha256.wasm", "large_100k.wasm", "empty.wasm"})
    void givesTheDigestOfChicorysOwnCompilerPath(String file) {
        byte[] wasm = Corpus.bytes(file);
        byte[][] handedOver = new byte[1][];
        MachineFactoryCompiler.builder(Parser.parse(wasm)).withInterpreterFallback(InterpreterFallback.FAIL)
                .withCache(new Cache() {
                    @Override
                    public byte[] get(String key) {
                        return null;
                    }

                    @Override
                    public void putIfAbsent(String key, byte[] data) {
                        handedOver[0] = data;
                    }
                }).compile();

        assertEquals(CompiledOutputDigest.of(handedOver[0]), CompiledModule.compile(wasm, ALL).compiledSha256());
    }

    @Test
    void regeneratingGivesTheDigestOfTheFullCompilation() {
        byte[] wasm = Corpus.bytes("large_100k.wasm");

        assertEquals(CompiledModule.compile(wasm, ALL).compiledSha256(),
                CompiledModule.regeneratedSha256(wasm, CompileBudget.DEFAULT));
    }

    @Test
    void aModuleLoadedFromItsVerifiedOutputRunsLikeTheCompiledOne() {
        byte[] wasm = Corpus.bytes("large_100k.wasm");
        CompiledModule compiled = CompiledModule.compile(wasm, ALL);
        CompilerOutput stored = CompilerOutput.read(compiled.serializedOutput(), 64L << 20);

        CompiledModule loaded = CompiledModule.load(compiled.sha256(), CompiledModule.parse(wasm), ALL, stored);

        assertEquals(compiled.compiledSha256(), loaded.compiledSha256());
        try (SandboxedModule a = SandboxedModule.builder(compiled).id("a").limits(new ModuleLimits(16, 1_000_000, 10)).build();
             SandboxedModule b = SandboxedModule.builder(loaded).id("b").limits(new ModuleLimits(16, 1_000_000, 10)).build()) {
            assertArrayEquals(a.call("checksum").values(), b.call("checksum").values());
            assertEquals(-561721370, (int) b.call("checksum").value(0));
        }
    }

    @Test
    void refusesACompilationPastItsBoundAsPolicy() {
        byte[] wasm = Corpus.bytes("many_functions.wasm");
        CompileBudget oneMillisecond = new CompileBudget(Duration.ofMillis(1), Duration.ZERO);

        var e = assertThrows(RejectedException.class, () -> CompiledModule.compile(wasm, CapabilitySet.EMPTY,
                oneMillisecond));
        assertEquals(HostPolicyFailure.COMPILE_TOO_SLOW, e.reason());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertTrue(e.getMessage().contains("past its bound of 1 ms"), e.getMessage());
        var again = assertThrows(RejectedException.class, () -> CompiledModule.regeneratedSha256(wasm, oneMillisecond));
        assertEquals(HostPolicyFailure.COMPILE_TOO_SLOW, again.reason());
    }

    @Test
    void theBoundGrowsWithTheModulesSize() {
        CompileBudget budget = new CompileBudget(Duration.ofSeconds(5), Duration.ofSeconds(20));

        assertEquals(Duration.ofSeconds(5), budget.forModule(0));
        assertEquals(Duration.ofSeconds(15), budget.forModule(512 * 1024));
        assertEquals(Duration.ofSeconds(25), budget.forModule(1 << 20));
        assertThrows(IllegalArgumentException.class, () -> new CompileBudget(Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new CompileBudget(Duration.ofSeconds(1), Duration.ofSeconds(-1)));
    }
}
