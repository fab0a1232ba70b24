package dev.wasmota.signing.pkg;

import static dev.wasmota.signing.Fixtures.sectionBoundaries;
import static dev.wasmota.signing.pkg.PackageVerifierTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.manifest.ResourceCaps;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PackagerTest {
    static final byte[] HEALTHY = Fixtures.wasm("healthy_v1.wasm");

    static PackageSpec spec(String caps, int memoryPages) {
        return new PackageSpec("demo", "1.0.0", 3, PackageSpec.UNASSIGNED, CapabilitySet.parse(caps), memoryPages, 2000, 10,
                List.of("ecu-b", "ecu-a"), Optional.empty());
    }

    static Manifest manifestOf(ModulePackage pkg) {
        return ManifestCodec.parse(pkg.manifestBytes());
    }

    @Test
    void readsExportsAndTheirTypesFromTheBinary() {
        Manifest m = manifestOf(Packager.build(HEALTHY, spec("log,clock,can.read:120,can.write:220", 1)));
        Map<String, String> exports = m.exports().stream()
                .collect(Collectors.toMap(Manifest.Export::name, e -> e.type().toString()));
        assertEquals(Map.of(
                "init", "()->(i32)",
                "last_us", "()->(i64)",
                "scale", "(i64)->(i64)",
                "tick", "()->()",
                "ticks", "()->(i32)",
                "version", "()->(i32)"), exports, "function exports only: memory is not one");
        assertEquals(FunctionType.of(List.of("i64"), List.of("i64")), m.export("scale").orElseThrow().type());
        assertEquals(List.of("init", "last_us", "scale", "tick", "ticks", "version"),
                m.exports().stream().map(Manifest.Export::name).toList());
    }

    @Test
    void bindsTheManifestToTheBinarysDigestAndLength() throws Exception {
        ModulePackage pkg = Packager.build(HEALTHY, spec("log,clock,can.read:120,can.write:220", 1));
        Manifest m = manifestOf(pkg);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(HEALTHY));
        assertEquals(expected, m.wasmSha256());
        assertEquals(HEALTHY.length, m.wasmLength());
        assertEquals(321, m.wasmLength());
        assertTrue(Arrays.equals(HEALTHY, pkg.wasmBytes()));
        assertTrue(pkg.signature().isEmpty());
    }

    @Test
    void carriesTheSpecIntoTheManifest() {
        Manifest m = manifestOf(Packager.build(HEALTHY, spec("can.write:220,log,clock,can.read:0x120", 1)));
        assertEquals("demo", m.moduleId());
        assertEquals("1.0.0", m.version());
        assertEquals(3, m.securityVersion());
        assertEquals(PackageSpec.UNASSIGNED, m.supplierId());
        assertEquals("can.read:120,can.write:220,clock,log", m.capabilities().canonical());
        assertEquals(1, m.memoryPages());
        assertEquals(2000, m.deadlineUs());
        assertEquals(10, m.periodMs());
        assertEquals(List.of("ecu-a", "ecu-b"), m.hardwareIds());
    }

    @Test
    void refusesImportTheCapabilitiesDoNotCover() {
        RejectedException e = assertRejected(PolicyFailure.IMPORT_NOT_PERMITTED,
                () -> Packager.build(Fixtures.wasm("forbidden_import.wasm"), spec("log", 1)));
        assertTrue(e.getMessage().contains("ecu.i2c_write"), e.getMessage());
        assertEquals(ExitCode.POLICY, e.exitCode());
    }

    @Test
    void acceptsTheSameImportWhenTheCapabilitiesCoverIt() {
        Manifest m = manifestOf(Packager.build(Fixtures.wasm("forbidden_import.wasm"), spec("log,i2c:1:50", 1)));
        assertEquals("i2c:1:50,log", m.capabilities().canonical());
    }

    @Test
    void refusesHealthyModuleMissingOneOfItsCapabilities() {
        RejectedException e = assertRejected(PolicyFailure.IMPORT_NOT_PERMITTED,
                () -> Packager.build(HEALTHY, spec("log,can.read:120,can.write:220", 1)));
        assertTrue(e.getMessage().contains("ecu.clock_us"), e.getMessage());
    }

    @Test
    void refusesImportOutsideTheHostAbi() {
        RejectedException e = assertRejected(PolicyFailure.IMPORT_NOT_PERMITTED,
                () -> Packager.build(Fixtures.wasm("wasi_import.wasm"), spec("log,clock,can.read:0-1fffffff", 1)));
        assertTrue(e.getMessage().contains("wasi_snapshot_preview1.fd_write"), e.getMessage());
    }

    @Test
    void refusesHostFunctionImportedWithAnotherType() {
        TinyWasm w = new TinyWasm();
        int wrong = w.type(List.of("i32"), List.of());
        int unit = w.type(List.of(), List.of());
        w.importFunction("ecu", "log", wrong);
        w.export("tick", w.function(unit));
        RejectedException e = assertRejected(PolicyFailure.IMPORT_NOT_PERMITTED, () -> Packager.build(w.bytes(), spec("log", 1)));
        assertTrue(e.getMessage().contains("ecu.log") && e.getMessage().contains("(i32,i32)->()"), e.getMessage());
    }

    @Test
    void refusesImportedMemory() {
        TinyWasm w = new TinyWasm().importMemory("ecu", "memory");
        int unit = w.type(List.of(), List.of());
        w.export("tick", w.function(unit));
        RejectedException e = assertRejected(PolicyFailure.IMPORT_NOT_PERMITTED, () -> Packager.build(w.bytes(), spec("log", 1)));
        assertTrue(e.getMessage().contains("ecu.memory"), e.getMessage());
    }

    @Test
    void refusesRandomBytesAsInvalidWasm() {
        Random random = new Random(42);
        byte[] header = {0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00};
        for (int i = 0; i < 100; i++) {
            byte[] junk = new byte[1 + random.nextInt(512)];
            random.nextBytes(junk);
            RejectedException e = assertRejected(PolicyFailure.INVALID_WASM, () -> Packager.build(junk, spec("log", 1)));
            assertEquals(ExitCode.POLICY, e.exitCode());
            byte[] withHeader = PackageFileTest.concat(header, new byte[] {(byte) (1 + random.nextInt(11))}, junk);
            RejectedException h = assertThrows(() -> Packager.build(withHeader, spec("log", 1)));
            assertEquals(ExitCode.POLICY, h.exitCode(), h.getMessage());
        }
    }

    @Test
    void refusesTruncatedWasm() {
        byte[] half = Arrays.copyOf(HEALTHY, HEALTHY.length / 2);
        RejectedException e = assertRejected(PolicyFailure.INVALID_WASM,
                () -> Packager.build(half, spec("log,clock,can.read:120,can.write:220", 1)));
        assertEquals(ExitCode.POLICY, e.exitCode());
        byte[] lastByteMissing = Arrays.copyOf(HEALTHY, HEALTHY.length - 1);
        assertRejected(PolicyFailure.INVALID_WASM,
                () -> Packager.build(lastByteMissing, spec("log,clock,can.read:120,can.write:220", 1)));
    }

    @Test
    void refusesEveryPrefixCutInsideASection() {
        Set<Integer> boundaries = sectionBoundaries(HEALTHY);
        int cutInside = 0;
        for (int len = 0; len < HEALTHY.length; len++) {
            if (boundaries.contains(len)) {
                continue; // a module cut between sections can be valid (every section is optional)
            }
            byte[] prefix = Arrays.copyOf(HEALTHY, len);
            RejectedException e = assertThrows(() -> Packager.build(prefix, spec("log,clock,can.read:120,can.write:220", 1)));
            assertEquals(PolicyFailure.INVALID_WASM, e.reason(), len + ": " + e.getMessage());
            cutInside++;
        }
        assertTrue(cutInside > HEALTHY.length - 12, "cut inside " + cutInside);
    }

    @Test
    void refusesBinaryOverTheSizeCapBeforeParsing() {
        byte[] big = new byte[(int) Manifest.MAX_WASM_LENGTH + 1];
        RejectedException e = assertRejected(PolicyFailure.INVALID_WASM, () -> Packager.build(big, spec("log", 1)));
        assertTrue(e.getMessage().contains("exceeds " + Manifest.MAX_WASM_LENGTH), e.getMessage());
    }

    @Test
    void refusesModuleNeedingMoreInitialPagesThanAllowed() {
        TinyWasm w = new TinyWasm().memory(2);
        w.export("tick", w.function(w.type(List.of(), List.of())));
        byte[] twoPages = w.bytes();
        RejectedException e = assertRejected(PolicyFailure.MEMORY_LIMIT, () -> Packager.build(twoPages, spec("", 1)));
        assertTrue(e.getMessage().contains("2 pages"), e.getMessage());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertEquals(2, manifestOf(Packager.build(twoPages, spec("", 2))).memoryPages());
    }

    @Test
    void statesTheResourcesTheModuleDeclaresAndNoTableGrowthByDefault() {
        Manifest m = manifestOf(Packager.build(Fixtures.wasm("state_leak.wasm"), spec("", 1)));
        assertEquals(new ResourceCaps(2, 1, 1, 1, 1, 1, 1), m.resources());
    }

    @Test
    void tableElementsGivesTheTablesRoomToGrow() {
        Manifest m = manifestOf(Packager.build(Fixtures.wasm("state_leak.wasm"), spec("", 1).withTableElements(64)));
        assertEquals(64, m.resources().tableElements());
        assertEquals(2, m.resources().tables());
    }

    @Test
    void refusesTableElementsBelowTheDeclaredSizesOrAboveTheCeiling() {
        byte[] large = Fixtures.wasm("large_100k.wasm");
        RejectedException below = assertRejected(PolicyFailure.RESOURCE_LIMIT,
                () -> Packager.build(large, spec("log", 1).withTableElements(364)));
        assertTrue(below.getMessage().contains("--table-elements 364 is outside 365"), below.getMessage());
        RejectedException above = assertRejected(PolicyFailure.RESOURCE_LIMIT,
                () -> Packager.build(large, spec("log", 1).withTableElements(65_537)));
        assertTrue(above.getMessage().contains("65,536 (the host's ceiling)"), above.getMessage());
    }

    @Test
    void refusesTenTablesOfTenMillionDeclaredUpFront() {
        RejectedException e = assertRejected(PolicyFailure.RESOURCE_LIMIT,
                () -> Packager.build(Fixtures.wasm("table_bomb_declared.wasm"), spec("", 1)));
        assertTrue(e.getMessage().contains("100,000,000 table elements at start (cap 65,536)"), e.getMessage());
        assertEquals(ExitCode.POLICY, e.exitCode());
    }

    @Test
    void refusesAHundredTables() {
        RejectedException e = assertRejected(PolicyFailure.RESOURCE_LIMIT,
                () -> Packager.build(Fixtures.wasm("table_bomb_100.wasm"), spec("", 1)));
        assertTrue(e.getMessage().contains("100 tables (cap 16)"), e.getMessage());
    }

    @Test
    void refusesAGlobalsBomb() {
        RejectedException e = assertRejected(PolicyFailure.RESOURCE_LIMIT,
                () -> Packager.build(Fixtures.wasm("globals_bomb.wasm"), spec("", 1)));
        assertTrue(e.getMessage().contains("20,000 globals (cap 4,096)"), e.getMessage());
    }

    @Test
    void refusesSha256BecauseItHasNoTick() {
        RejectedException e = assertRejected(PolicyFailure.EXPORT_MISMATCH,
                () -> Packager.build(Fixtures.wasm("sha256.wasm"), spec("", 2)));
        assertTrue(e.getMessage().contains("tick"), e.getMessage());
    }

    @Test
    void refusesTickOfTheWrongType() {
        TinyWasm w = new TinyWasm();
        w.export("tick", w.function(w.type(List.of("i32"), List.of())));
        RejectedException e = assertRejected(PolicyFailure.EXPORT_MISMATCH, () -> Packager.build(w.bytes(), spec("", 1)));
        assertTrue(e.getMessage().contains("tick"), e.getMessage());
    }

    @Test
    void refusesInitOfTheWrongType() {
        TinyWasm w = new TinyWasm();
        int unit = w.type(List.of(), List.of());
        w.export("tick", w.function(unit));
        w.export("init", w.function(unit));
        RejectedException e = assertRejected(PolicyFailure.EXPORT_MISMATCH, () -> Packager.build(w.bytes(), spec("", 1)));
        assertTrue(e.getMessage().contains("init"), e.getMessage());
    }

    @Test
    void acceptsMinimalModuleWithOnlyTick() {
        TinyWasm w = new TinyWasm();
        w.export("tick", w.function(w.type(List.of(), List.of())));
        Manifest m = manifestOf(Packager.build(w.bytes(), spec("", 1)));
        assertEquals(List.of("tick"), m.exports().stream().map(Manifest.Export::name).toList());
        assertEquals(CapabilitySet.EMPTY, m.capabilities());
    }

    @Test
    void neverBuildsAManifestItCannotReadBack() {
        TinyWasm w = new TinyWasm();
        int tick = w.function(w.type(List.of(), List.of()));
        w.export("tick", tick);
        for (int i = 0; i < 300; i++) {
            w.export(String.format("e%03d", i) + "x".repeat(240), tick);
        }
        byte[] manyExports = w.bytes();
        RejectedException e = assertThrows(() -> Packager.build(manyExports, spec("", 1)));
        assertEquals(ExitCode.POLICY, e.exitCode(), e.getMessage());
    }

    private static RejectedException assertThrows(org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(RejectedException.class, call);
    }
}
