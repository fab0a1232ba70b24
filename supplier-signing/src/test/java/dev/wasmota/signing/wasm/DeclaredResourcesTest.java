package dev.wasmota.signing.wasm;

import static dev.wasmota.signing.wasm.WasmBoundsTest.CODE;
import static dev.wasmota.signing.wasm.WasmBoundsTest.EXPORTS;
import static dev.wasmota.signing.wasm.WasmBoundsTest.FUNCTIONS;
import static dev.wasmota.signing.wasm.WasmBoundsTest.TYPES;
import static dev.wasmota.signing.wasm.WasmBoundsTest.bytes;
import static dev.wasmota.signing.wasm.WasmBoundsTest.leb;
import static dev.wasmota.signing.wasm.WasmBoundsTest.module;
import static dev.wasmota.signing.wasm.WasmBoundsTest.name;
import static dev.wasmota.signing.wasm.WasmBoundsTest.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.wasm.Parser;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.ResourceCaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DeclaredResourcesTest {
    @Test
    void theBoundsCheckAndChicorysParserCountTheSameForEveryCorpusModule() throws IOException {
        List<Path> corpus;
        try (Stream<Path> files = Files.list(Fixtures.corpus(""))) {
            corpus = files.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
        }
        for (Path p : corpus) {
            byte[] wasm = Files.readAllBytes(p);
            assertEquals(DeclaredResources.of(Parser.parse(wasm)), DeclaredResources.of(wasm), p.toString());
        }
    }

    @Test
    void countsEveryKindOfStateOfTheStateLeakModule() {
        assertEquals(new DeclaredResources(2, 1, 1, 1, 1, 1, 1), DeclaredResources.of(Fixtures.wasm("state_leak.wasm")));
    }

    @Test
    void countsTheTablesDeclaredUpFront() {
        DeclaredResources d = DeclaredResources.of(Fixtures.wasm("table_bomb_declared.wasm"));
        assertEquals(10, d.tables());
        assertEquals(100_000_000, d.tableElements());
    }

    @Test
    void countsLargeModulesTableAndClangsGlobal() {
        assertEquals(new DeclaredResources(1, 365, 1, 1, 15, 1, 365),
                DeclaredResources.of(Fixtures.wasm("large_100k.wasm")));
        DeclaredResources brake = DeclaredResources.of(Fixtures.wasm("brake_temp.wasm"));
        assertEquals(1, brake.tables(), "wasm-ld's one-entry funcref table");
        assertEquals(1, brake.globals(), "__stack_pointer");
    }

    @Test
    void countsImportedTablesAndGlobals() {
        byte[] wasm = module(TYPES, section(2, leb(2),
                name("env"), name("t"), bytes(1, 0x70, 0, 7),
                name("env"), name("g"), bytes(3, 0x7F, 0)), FUNCTIONS, EXPORTS, CODE);
        assertEquals(new DeclaredResources(1, 7, 1, 0, 0, 0, 0), DeclaredResources.of(wasm));
        assertEquals(DeclaredResources.of(Parser.parse(wasm)), DeclaredResources.of(wasm));
    }

    @Test
    void countsATableWithAnInitializer() {
        byte[] table = section(4, leb(1), bytes(0x40, 0, 0x70, 0, 5, 0xD0, 0x70, 0x0B));
        assertEquals(5, DeclaredResources.of(module(TYPES, FUNCTIONS, table, EXPORTS, CODE)).tableElements());
    }

    @Test
    void refusesDeclarationsAboveTheCapsNamingEachFigureOver() {
        DeclaredResources bomb = DeclaredResources.of(Fixtures.wasm("table_bomb_declared.wasm"));
        RejectedException e = assertThrows(RejectedException.class,
                () -> bomb.requireWithin(ResourceCaps.DEFAULT_CEILINGS, "the host's ceilings"));
        assertEquals(PolicyFailure.RESOURCE_LIMIT, e.reason());
        assertEquals("the module declares more than the host's ceilings allow: 100,000,000 table elements at start"
                + " (cap 65,536)", e.getMessage());
        DeclaredResources globals = DeclaredResources.of(Fixtures.wasm("globals_bomb.wasm"));
        RejectedException g = assertThrows(RejectedException.class,
                () -> globals.requireWithin(ResourceCaps.DEFAULT_CEILINGS, "the host's ceilings"));
        assertTrue(g.getMessage().contains("20,000 globals (cap 4,096)"), g.getMessage());
    }

    @Test
    void exactCapsAreTheDeclarationsAndRefuseWhatNoManifestCanState() {
        assertEquals(new ResourceCaps(2, 1, 1, 1, 1, 1, 1),
                DeclaredResources.of(Fixtures.wasm("state_leak.wasm")).exactCaps());
        RejectedException e = assertThrows(RejectedException.class,
                () -> DeclaredResources.of(Fixtures.wasm("table_bomb_declared.wasm")).exactCaps());
        assertEquals(PolicyFailure.RESOURCE_LIMIT, e.reason());
    }
}
