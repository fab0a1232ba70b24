package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.TypeSection;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompiledModuleTest {
    private static final String HEALTHY_CAPS = "log,clock,can.read:120,can.write:220";

    @Test
    void refusesImportTheCapabilitiesDoNotGrantNamingIt() {
        var e = assertThrows(RejectedException.class,
                () -> CompiledModule.compile(Corpus.bytes("forbidden_import.wasm"), CapabilitySet.parse("log")));
        assertEquals(PolicyFailure.IMPORT_NOT_PERMITTED, e.reason());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertTrue(e.getMessage().contains("ecu.i2c_write"), e.getMessage());
        assertFalse(e.getMessage().contains("ecu.log"), "the granted import is not blamed: " + e.getMessage());
    }

    @Test
    void refusesWasiImportWhateverTheCapabilities() {
        var e = assertThrows(RejectedException.class, () -> CompiledModule.compile(Corpus.bytes("wasi_import.wasm"),
                CapabilitySet.parse("log,clock,can.read:0-1fffffff,can.write:0-1fffffff,i2c:1:50")));
        assertEquals(PolicyFailure.IMPORT_NOT_PERMITTED, e.reason());
        assertTrue(e.getMessage().contains("wasi_snapshot_preview1.fd_write"), e.getMessage());
    }

    @Test
    void refusesGrantedImportOfTheWrongType() {
        var types = TypeSection.builder()
                .addFunctionType(FunctionType.of(List.of(ValType.I32), List.of(ValType.I32))).build();
        var imports = ImportSection.builder().addImport(new FunctionImport("ecu", "can_read", 0)).build();
        WasmModule module = WasmModule.builder().setTypeSection(types).setImportSection(imports)
                .withValidation(false).build();

        var e = assertThrows(RejectedException.class,
                () -> dev.wasmota.signing.wasm.ModuleInterface.of(module).checkImports(CapabilitySet.parse("can.read:120")));
        assertEquals(PolicyFailure.IMPORT_NOT_PERMITTED, e.reason());
        assertTrue(e.getMessage().contains("ecu.can_read (type (i32)->(i32)"), e.getMessage());
    }

    @Test
    void refusesFunctionTheCompilerWouldLeaveToTheInterpreterNamingIt() {
        var e = assertThrows(RejectedException.class,
                () -> CompiledModule.compile(Corpus.bytes("huge_function.wasm"), CapabilitySet.EMPTY));
        assertEquals(HostPolicyFailure.INTERPRETER_FALLBACK, e.reason());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertTrue(e.getMessage().contains("index 0 (\"big\")"), e.getMessage());
    }

    @Test
    void refusesBytesThatAreNotWebAssembly() {
        var garbage = assertThrows(RejectedException.class,
                () -> CompiledModule.compile("not a module".getBytes(), CapabilitySet.EMPTY));
        assertEquals(PolicyFailure.INVALID_WASM, garbage.reason());
        byte[] truncated = java.util.Arrays.copyOf(Corpus.bytes("healthy_v1.wasm"), 100);
        var cut = assertThrows(RejectedException.class,
                () -> CompiledModule.compile(truncated, CapabilitySet.parse(HEALTHY_CAPS)));
        assertEquals(PolicyFailure.INVALID_WASM, cut.reason());
        var empty = assertThrows(RejectedException.class, () -> CompiledModule.compile(new byte[0], CapabilitySet.EMPTY));
        assertEquals(PolicyFailure.INVALID_WASM, empty.reason());
    }

    @Test
    void describesExportsWithTheirTypes() {
        CompiledModule m = Corpus.compiled("healthy_v1", HEALTHY_CAPS);
        assertEquals("(i64)->(i64)", m.exportType("scale").orElseThrow().toString());
        assertEquals("()->()", m.exportType("tick").orElseThrow().toString());
        assertTrue(m.exportType("memory").isEmpty(), "memory is not a function");
        assertEquals(64, m.sha256().length());
    }

    @Test
    void cacheCompilesOnceForManySandboxes() {
        CompiledModuleCache cache = new CompiledModuleCache();
        CompiledModule first = cache.get(Corpus.bytes("healthy_v1.wasm"), CapabilitySet.parse(HEALTHY_CAPS));
        CompiledModule second = cache.get(Corpus.bytes("healthy_v1.wasm"), CapabilitySet.parse(HEALTHY_CAPS));
        assertSame(first, second);
        assertEquals(1, cache.compilations());

        ModuleLimits limits = new ModuleLimits(1, 50_000, 10);
        try (var a = SandboxedModule.builder(first).id("vehicle-a").limits(limits).build();
                var b = SandboxedModule.builder(second).id("vehicle-b").limits(limits).build()) {
            a.call("tick");
            a.call("tick");
            assertEquals(2, a.call("ticks").value(0));
            assertEquals(0, b.call("ticks").value(0), "each sandbox has its own instance state");
        }
        assertEquals(1, cache.compilations());
    }

    @Test
    void cacheChecksCapabilitiesOnEveryLookup() {
        CompiledModuleCache cache = new CompiledModuleCache();
        cache.get(Corpus.bytes("healthy_v1.wasm"), CapabilitySet.parse(HEALTHY_CAPS));
        var e = assertThrows(RejectedException.class,
                () -> cache.get(Corpus.bytes("healthy_v1.wasm"), CapabilitySet.parse("log")));
        assertEquals(PolicyFailure.IMPORT_NOT_PERMITTED, e.reason());
        assertTrue(e.getMessage().contains("ecu.can_read"), e.getMessage());
        assertEquals(1, cache.compilations());
    }

    @Test
    void cacheDoesNotKeepRefusals() {
        CompiledModuleCache cache = new CompiledModuleCache();
        assertThrows(RejectedException.class, () -> cache.get(Corpus.bytes("healthy_v1.wasm"), CapabilitySet.parse("log")));
        assertEquals(0, cache.size());
        cache.get(Corpus.bytes("healthy_v1.wasm"), CapabilitySet.parse(HEALTHY_CAPS));
        assertEquals(1, cache.compilations());
    }
}
