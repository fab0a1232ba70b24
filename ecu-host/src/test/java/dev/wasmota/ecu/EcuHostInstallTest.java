package dev.wasmota.ecu;

import dev.wasmota.signing.pki.TrustHierarchy;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.after;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.await;
import static dev.wasmota.ecu.HostTestKit.eventsOf;
import static dev.wasmota.ecu.HostTestKit.only;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static dev.wasmota.ecu.HostTestKit.wasmSha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.ecu.sandbox.HostPolicyFailure;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.Slot;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The install path through {@link EcuHost#install}: what is committed, what is refused, and what the log says. */
class EcuHostInstallTest {
    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static byte[] v1;
    private static byte[] v2;
    private EcuHost host;

    @BeforeAll
    static void oemAndPackages() {
        kit = new HostTestKit(pki);
        v1 = kit.healthy("1.0.0", 1);
        v2 = kit.healthy("2.0.0", 2);
    }

    @BeforeEach
    void openHost() {
        host = kit.open(state);
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void installsFirstVersionIntoSlotAAndLogsEveryStepInOrder() {
        InstallResult r = host.install(v1, InstallContext.manual());

        assertEquals(InstallResult.Outcome.COMMITTED, r.outcome());
        assertEquals(Slot.A, r.slot());
        assertEquals("1.0.0", r.version());
        assertEquals(Optional.empty(), r.fromVersion());
        ModuleState s = onlyModule();
        assertEquals(Slot.A, s.active());
        assertNull(s.previous());
        assertEquals("1.0.0", s.activeMetadata().version());
        assertEquals(Digests.sha256Hex(v1), s.activeMetadata().packageSha256());
        assertEquals(1, host.floor(HEALTHY));

        List<AuditRecord> log = records(host);
        assertEquals(List.of(AuditEvent.VERIFY, AuditEvent.HEALTH_CHECK, AuditEvent.INSTALL_STAGED,
                AuditEvent.INSTALL_COMMITTED, AuditEvent.FLOOR_RAISED), eventsOf(log));
        String digest = wasmSha256("healthy_v1.wasm");
        for (AuditRecord rec : log) {
            assertEquals(HEALTHY, rec.moduleId(), rec.toString());
            assertEquals(Outcome.SUCCESS, rec.outcome(), rec.toString());
        }
        for (AuditRecord rec : log.subList(0, 4)) {
            assertEquals("1.0.0", rec.toVersion(), rec.toString());
            assertEquals(digest, rec.toWasmSha256(), rec.toString());
            assertEquals(1L, rec.securityVersion(), rec.toString());
            assertNull(rec.fromVersion(), rec.toString());
        }
        assertEquals(Map.of("supplier-signature", "ok", "oem-countersignature", "ok", "certificate-chains", "ok",
                "module-digest", "ok", "capabilities-certified", "ok"), log.get(0).verifications());
        assertEquals("ecu-a", log.get(0).preconditions().get("hardware"));
        assertEquals(1L, only(log, AuditEvent.FLOOR_RAISED).securityVersion());
        assertLogVerifies(host);
    }

    @Test
    void installsUpgradeIntoSlotBKeepingThePreviousSlotAsRollbackTarget() {
        host.install(v1, InstallContext.manual());
        int before = records(host).size();

        InstallResult r = host.install(v2, new InstallContext(Optional.of("campaign-7"), Optional.of("instr-9"), "routes"));

        assertEquals(InstallResult.Outcome.COMMITTED, r.outcome());
        assertEquals(Slot.B, r.slot());
        assertEquals(Optional.of("1.0.0"), r.fromVersion());
        ModuleState s = onlyModule();
        assertEquals(Slot.B, s.active());
        assertEquals(Slot.A, s.previous());
        assertEquals("2.0.0", s.activeMetadata().version());
        assertEquals("1.0.0", s.previousMetadata().orElseThrow().version());
        assertEquals(1, host.floor(HEALTHY), "the floor stays at the rollback target's security version");

        List<AuditRecord> added = after(records(host), before);
        assertEquals(List.of(AuditEvent.VERIFY, AuditEvent.HEALTH_CHECK, AuditEvent.INSTALL_STAGED,
                AuditEvent.INSTALL_COMMITTED), eventsOf(added));
        AuditRecord committed = only(added, AuditEvent.INSTALL_COMMITTED);
        assertEquals("1.0.0", committed.fromVersion());
        assertEquals(wasmSha256("healthy_v1.wasm"), committed.fromWasmSha256());
        assertEquals("2.0.0", committed.toVersion());
        assertEquals(wasmSha256("healthy_v2.wasm"), committed.toWasmSha256());
        assertEquals("campaign-7", committed.campaignId());
        assertEquals("instr-9", committed.instructionId());
        assertEquals("routes", committed.actor());
        assertLogVerifies(host);
    }

    @Test
    void reinstallingTheActivePackageIsAlreadyActiveAndWritesNothing() throws IOException {
        host.install(v1, InstallContext.manual());
        host.install(v2, InstallContext.manual());
        Map<String, String> before = snapshot(state);

        InstallResult r = host.install(v2, InstallContext.manual());

        assertEquals(InstallResult.Outcome.ALREADY_ACTIVE, r.outcome());
        assertEquals(Slot.B, r.slot());
        assertEquals("2.0.0", r.version());
        assertEquals(before, snapshot(state), "no file in the state directory changed");
        assertEquals(Slot.A, onlyModule().previous(), "the rollback target is kept");
    }

    @Test
    void refusedInstallKeepsTheRollbackTarget() {
        host.install(v1, InstallContext.manual());
        host.install(v2, InstallContext.manual());
        byte[] failing = kit.released("failing_init.wasm", spec(HEALTHY, "3.0.0", 3, ""));

        assertRejected(FaultKind.HEALTH_CHECK_FAILED, 5, () -> host.install(failing, InstallContext.manual()));

        assertEquals(Slot.A, onlyModule().previous(), "v1 is still the rollback target");
        assertEquals("1.0.0", host.rollback(HEALTHY, "test").activeMetadata().version());
    }

    @Test
    void refusesModuleFailingItsHealthCheckAndKeepsTheActiveSlot() {
        host.install(v1, InstallContext.manual());
        int before = records(host).size();
        byte[] failing = kit.released("failing_init.wasm", spec(HEALTHY, "2.0.0", 2, ""));

        RejectedException e = assertRejected(FaultKind.HEALTH_CHECK_FAILED, 5,
                () -> host.install(failing, InstallContext.manual()));

        assertTrue(e.getMessage().contains("init returned 1"), e.getMessage());
        ModuleState s = onlyModule();
        assertEquals(Slot.A, s.active());
        assertEquals("1.0.0", s.activeMetadata().version());
        assertEquals(1, host.floor(HEALTHY));
        List<AuditRecord> added = after(records(host), before);
        assertEquals(List.of(AuditEvent.VERIFY, AuditEvent.HEALTH_CHECK, AuditEvent.INSTALL_REFUSED), eventsOf(added),
                "nothing is staged before the module proved healthy");
        assertEquals(Outcome.FAILURE, only(added, AuditEvent.HEALTH_CHECK).outcome());
        AuditRecord refused = only(added, AuditEvent.INSTALL_REFUSED);
        assertEquals(Outcome.FAILURE, refused.outcome());
        assertEquals("HEALTH_CHECK_FAILED", refused.cause());
        assertEquals("2.0.0", refused.toVersion());
        assertLogVerifies(host);
    }

    @Test
    void refusesCapabilitiesBeyondTheSupplierCertificateAsASecurityEvent() {
        PackageSpec greedy = spec("forbidden", "1.0.0", 1, "log,i2c:1:50");
        byte[] pkg = kit.signedUnchecked("forbidden_import.wasm", greedy, kit.fx.acme);

        RejectedException e = assertRejected(PolicyFailure.CAPABILITY_NOT_CERTIFIED, 4,
                () -> host.install(pkg, InstallContext.manual()));

        assertTrue(e.getMessage().contains("i2c:1:50"), e.getMessage());
        assertRefusedAsSecurityEvent("CAPABILITY_NOT_CERTIFIED");
        assertEquals(List.of(), host.modules());
    }

    @Test
    void refusesImportTheManifestDoesNotGrantAsASecurityEvent() {
        Fixtures.Supplier i2cSupplier = kit.fx.supplier("globex", CapabilitySet.parse("log,i2c:1:50"), Fixtures.T0,
                TrustHierarchy.SUPPLIER_VALIDITY, 7);
        byte[] pkg = kit.handBuilt("forbidden_import.wasm", spec("forbidden", "1.0.0", 1, "log"), i2cSupplier);

        RejectedException e = assertRejected(PolicyFailure.IMPORT_NOT_PERMITTED, 4,
                () -> host.install(pkg, InstallContext.manual()));

        assertTrue(e.getMessage().contains("ecu.i2c_write"), e.getMessage());
        assertRefusedAsSecurityEvent("IMPORT_NOT_PERMITTED");
        assertEquals(List.of(), host.modules(), "nothing was committed");
    }

    @Test
    void refusesWasiImport() {
        byte[] pkg = kit.handBuilt("wasi_import.wasm", spec("wasi", "1.0.0", 1, "log"), kit.fx.acme);

        RejectedException e = assertRejected(PolicyFailure.IMPORT_NOT_PERMITTED, 4,
                () -> host.install(pkg, InstallContext.manual()));

        assertTrue(e.getMessage().contains("wasi_snapshot_preview1.fd_write"), e.getMessage());
        assertRefusedAsSecurityEvent("IMPORT_NOT_PERMITTED");
        assertEquals(List.of(), host.modules());
    }

    @Test
    void refusesModuleThatWouldFallBackToTheInterpreterNamingTheFunction() {
        byte[] pkg = kit.released("huge_function.wasm", spec("huge", "1.0.0", 1, ""));

        RejectedException e = assertRejected(HostPolicyFailure.INTERPRETER_FALLBACK, 4,
                () -> host.install(pkg, InstallContext.manual()));

        assertTrue(e.getMessage().contains("\"big\""), e.getMessage());
        AuditRecord refused = only(records(host), AuditEvent.INSTALL_REFUSED);
        assertEquals("INTERPRETER_FALLBACK", refused.cause());
        assertEquals(Outcome.REFUSED, refused.outcome());
        assertEquals(List.of(), host.modules());
        assertLogVerifies(host);
    }

    @Test
    void refusesTamperedPackageAsASecurityEventWithoutWritingASlot() {
        byte[] tampered = kit.healthy("1.0.0", 1);
        ModulePackage parsed = PackageFile.fromBytes(tampered);
        int wasmStart = 8 + 1 + 5 + parsed.manifestBytes().length + 5;
        tampered[wasmStart + parsed.wasmBytes().length / 2] ^= 0x01;

        assertRejected(TrustFailure.DIGEST_MISMATCH, 3, () -> host.install(tampered, InstallContext.manual()));

        List<AuditRecord> log = records(host);
        assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INSTALL_REFUSED), eventsOf(log));
        assertEquals("DIGEST_MISMATCH", log.get(0).cause());
        assertEquals(Outcome.REFUSED, log.get(1).outcome());
        assertEquals(List.of(), host.modules());
        assertFalse(Files.exists(state.resolve("slots").resolve("modules").resolve(HEALTHY)), "no slot was written");
        assertLogVerifies(host);
    }

    @Test
    void refusesSecurityVersionBelowTheFloorAsARollbackAttempt() {
        host.install(v1, InstallContext.manual());
        host.install(v2, InstallContext.manual());
        host.install(kit.healthy("3.0.0", 3), InstallContext.manual());
        assertEquals(2, host.floor(HEALTHY));
        int before = records(host).size();

        RejectedException e = assertRejected(UpdateFailure.ANTI_ROLLBACK, 4,
                () -> host.install(v1, InstallContext.manual()));

        assertTrue(e.getMessage().contains("below the floor 2"), e.getMessage());
        List<AuditRecord> added = after(records(host), before);
        assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INSTALL_REFUSED), eventsOf(added));
        assertEquals("ANTI_ROLLBACK", added.get(0).cause());
        assertEquals("1.0.0", added.get(0).toVersion());
        assertEquals("3.0.0", onlyModule().activeMetadata().version());
        assertLogVerifies(host);
    }

    @Test
    void refusesPackageForOtherHardwareAsASecurityEvent() {
        PackageSpec other = new PackageSpec(HEALTHY, "1.0.0", 1, PackageSpec.UNASSIGNED,
                CapabilitySet.parse(HostTestKit.HEALTHY_CAPS), 1, 2_000, 10, List.of("ecu-b"), Optional.empty());
        byte[] pkg = kit.released("healthy_v1.wasm", other);

        RejectedException e = assertRejected(UpdateFailure.WRONG_HARDWARE, 4,
                () -> host.install(pkg, InstallContext.manual()));

        assertTrue(e.getMessage().contains("ecu-b"), e.getMessage());
        assertRefusedAsSecurityEvent("WRONG_HARDWARE");
        assertEquals(List.of(), host.modules());
    }

    @Test
    void refusesHardwareBoundPackageWhenThisEcusIdentityIsUnknown(@TempDir Path anonymousState) {
        try (EcuHost anonymous = kit.open(HostConfig.builder(anonymousState, kit.fx.oem.trustStore())
                .clock(kit.fx.clock).build())) {
            assertRejected(UpdateFailure.IDENTITY_UNKNOWN, 4, () -> anonymous.install(v1, InstallContext.manual()));

            List<AuditRecord> log = records(anonymous);
            assertEquals(List.of(AuditEvent.INSTALL_REFUSED), eventsOf(log));
            assertEquals("IDENTITY_UNKNOWN", log.get(0).cause());
            assertEquals(List.of(), anonymous.modules());
        }
    }

    /** memory_bomb grows by 16 pages until refused: it ends at the largest 1 + 16k within the cap. */
    @ParameterizedTest(name = "manifest {0} pages, host {1} pages -> {2} pages")
    @CsvSource({"64, 40, 33", "20, 256, 17", "64, 8, 1"})
    void capsModuleMemoryAtTheLowerOfManifestAndHostLimits(int manifestPages, int hostPages, int expectedPages,
            @TempDir Path bombState) throws InterruptedException {
        byte[] bomb = kit.released("memory_bomb.wasm", spec("bomb", "1.0.0", 1, "", manifestPages, 100_000, 10));
        try (EcuHost capped = kit.open(kit.config(bombState).hostMemoryPages(hostPages).build())) {
            capped.install(bomb, InstallContext.manual());
            capped.start();
            await(Duration.ofSeconds(10), "two ticks of the memory bomb",
                    () -> capped.stats().containsKey("bomb") && capped.stats().get("bomb").calls() >= 2);

            SandboxedModule running = capped.running("bomb").orElseThrow();
            assertEquals(Math.min(manifestPages, hostPages), running.limits().memoryPages());
            assertEquals(expectedPages, running.memoryPages());
            assertEquals(0, capped.stats().get("bomb").faults(), capped.stats().toString());
        }
    }

    private ModuleState onlyModule() {
        List<ModuleState> modules = host.modules();
        assertEquals(1, modules.size(), modules.toString());
        return modules.get(0);
    }

    /** The log holds exactly a security event then an install refusal, both for {@code cause}, and verifies. */
    private void assertRefusedAsSecurityEvent(String cause) {
        List<AuditRecord> log = records(host);
        assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INSTALL_REFUSED),
                eventsOf(log.stream().filter(r -> r.event() == AuditEvent.SECURITY_EVENT
                        || r.event() == AuditEvent.INSTALL_REFUSED).toList()));
        for (AuditRecord r : log) {
            if (r.event() == AuditEvent.SECURITY_EVENT || r.event() == AuditEvent.INSTALL_REFUSED) {
                assertEquals(cause, r.cause(), r.toString());
                assertEquals(Outcome.REFUSED, r.outcome(), r.toString());
            }
        }
        assertTrue(log.stream().noneMatch(r -> r.event() == AuditEvent.INSTALL_COMMITTED), eventsOf(log).toString());
        assertLogVerifies(host);
    }

    /** Every file under {@code dir} and the SHA-256 of its content. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Digests.sha256Hex(Files.readAllBytes(p)));
            }
        }
        return files;
    }
}
