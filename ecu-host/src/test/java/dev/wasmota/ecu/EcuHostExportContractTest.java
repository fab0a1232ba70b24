package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.eventsOf;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vehicle checks the export contract itself before it commits a module (tick: () -> (), init:
 * () -> i32 if exported, the manifest's exports equal to the module's): packages countersigned past
 * a bypassed intake, signed with the supplier's real key, are refused with {@code EXPORT_MISMATCH}
 * (exit 4) and leave nothing behind.
 */
class EcuHostExportContractTest {
    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private EcuHost host;

    @BeforeAll
    static void oem() {
        kit = new HostTestKit(pki);
    }

    @BeforeEach
    void openHost() {
        host = kit.open(state);
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    private RejectedException assertRefusedBeforeAnythingIsStaged(byte[] pkg) {
        RejectedException e = assertRejected(PolicyFailure.EXPORT_MISMATCH, 4, () -> host.install(pkg, InstallContext.manual()));
        assertEquals(List.of(AuditEvent.VERIFY, AuditEvent.INSTALL_REFUSED), eventsOf(records(host)));
        assertEquals("EXPORT_MISMATCH", records(host).get(1).cause());
        assertEquals(List.of(), host.modules());
        assertFalse(Files.exists(state.resolve("slots").resolve("modules").resolve("bad")), "no slot was written");
        assertLogVerifies(host);
        return e;
    }

    @Test
    void refusesAModuleWithoutTick() {
        RejectedException e = assertRefusedBeforeAnythingIsStaged(kit.handBuilt("no_tick.wasm", spec("bad", "1.0.0", 1, ""),
                kit.fx.acme));
        assertTrue(e.getMessage().contains("does not export tick: ()->()"), e.getMessage());
    }

    @Test
    void refusesATickOfAnotherType() {
        RejectedException e = assertRefusedBeforeAnythingIsStaged(kit.handBuilt("tick_with_param.wasm",
                spec("bad", "1.0.0", 1, ""), kit.fx.acme));
        assertTrue(e.getMessage().contains("export tick has type (i32)->()"), e.getMessage());
    }

    @Test
    void refusesAnInitOfAnotherType() {
        RejectedException e = assertRefusedBeforeAnythingIsStaged(kit.handBuilt("init_wrong_type.wasm",
                spec("bad", "1.0.0", 1, ""), kit.fx.acme));
        assertTrue(e.getMessage().contains("export init has type ()->(i64)"), e.getMessage());
    }

    @Test
    void refusesAManifestWhoseExportsAreNotTheModules() {
        byte[] wasm = Fixtures.wasm("empty.wasm");
        PackageSpec s = spec("bad", "1.0.0", 1, "");
        List<Manifest.Export> lying = new ArrayList<>(List.of(new Manifest.Export("init", FunctionType.of(List.of(), List.of("i32"))),
                new Manifest.Export("tick", FunctionType.of(List.of(), List.of()))));
        lying.add(new Manifest.Export("unlock", FunctionType.of(List.of(), List.of())));
        Manifest m = new Manifest(s.moduleId(), s.version(), s.securityVersion(), kit.fx.acme.id(), Digests.sha256Hex(wasm),
                wasm.length, lying, s.capabilities(), s.memoryPages(), Fixtures.capsOf(wasm, s), s.deadlineUs(), s.periodMs(), s.hardwareIds(),
                Optional.empty());
        ModulePackage raw = new ModulePackage(ManifestCodec.canonicalBytes(m), wasm, Optional.empty());
        byte[] pkg = PackageFile.toBytes(kit.fx.countersigned(kit.fx.supplierSigned(raw, kit.fx.acme)));

        RejectedException e = assertRefusedBeforeAnythingIsStaged(pkg);
        assertTrue(e.getMessage().contains("unlock ()->() (the module's: none)"), e.getMessage());
    }
}
