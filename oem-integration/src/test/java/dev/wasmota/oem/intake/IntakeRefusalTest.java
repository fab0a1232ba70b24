package dev.wasmota.oem.intake;

import static dev.wasmota.oem.intake.IntakeTestKit.assertRefused;
import static dev.wasmota.oem.intake.IntakeTestKit.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.ecu.sandbox.CompileBudget;
import dev.wasmota.ecu.sandbox.HostPolicyFailure;
import dev.wasmota.oem.vectors.VectorFailure;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One refusal per check: each test names the check that must refuse, so it fails if that check is removed. */
class IntakeRefusalTest {
    /** {@code (module (func $s) (start $s) (export "tick" (func $s)))}: runs code at instantiation. */
    static final byte[] START_FUNCTION = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00,
            0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x08, 0x01, 0x04, 't', 'i', 'c', 'k', 0x00, 0x00, 0x08, 0x01, 0x00, 0x0a,
            0x04, 0x01, 0x02, 0x00, 0x0b};
    static final Manifest.Export TICK = new Manifest.Export("tick", FunctionType.of(List.of(), List.of()));

    @TempDir
    Path dir;
    IntakeTestKit kit;
    AuditLog audit;

    @BeforeEach
    void setUp() {
        kit = new IntakeTestKit(dir);
        audit = AuditLog.open(kit.auditFile, kit.fx.clock);
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    IntakeResult integrate(ModulePackage pkg, Optional<byte[]> vectors) {
        return new IntakePipeline(kit.oem, kit.options(audit).build()).integrate(pkg, vectors);
    }

    @Test
    void refusesPackageSignedWithARevokedSupplierKeyOnceTheOemRevokedIt() throws Exception {
        assertTrue(integrate(kit.healthy(), Optional.empty()).accepted(), "accepted before the revocation");
        dev.wasmota.oem.pki.OemPki fromDisk = dev.wasmota.oem.pki.OemPki.load(dir.resolve("oem"), kit.fx.clock,
                Fixtures.seeded(9));
        fromDisk.revoke(List.of(new dev.wasmota.signing.pki.Revocation(
                dev.wasmota.signing.pki.Revocation.keySha256(kit.fx.acme.chain().get(0)), "acme key leaked")), List.of());
        int seen = kit.records().size();

        IntakeResult r = integrate(kit.healthy(), Optional.empty());
        assertRefused(r, IntakeCheck.SUPPLIER_SIGNATURE, TrustFailure.CERTIFICATE_REVOKED, 3);
        assertTrue(r.rejection().orElseThrow().getMessage().contains("acme key leaked"), r.rejection().toString());
        List<AuditRecord> added = kit.records().subList(seen, kit.records().size());
        assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INTAKE_REJECTED),
                added.stream().map(AuditRecord::event).toList());
        assertEquals("CERTIFICATE_REVOKED", added.get(1).cause());
        assertTrue(integrate(kit.brakeTemp(), Optional.empty()).accepted(), "another supplier still passes");
        kit.assertLogVerifies();
    }

    @Test
    void refusesBadSupplierSignatureAndRecordsASecurityEvent() throws Exception {
        ModulePackage pkg = kit.healthy();
        byte[] sig = pkg.signature().orElseThrow();
        SignerInformation s = new CMSSignedData(new CMSProcessableByteArray(pkg.manifestBytes()), sig)
                .getSignerInfos().iterator().next();
        sig[indexOf(sig, s.getSignature()) + 5] ^= 0x01;
        IntakeResult r = integrate(pkg.withSignature(sig), Optional.empty());
        assertRefused(r, IntakeCheck.SUPPLIER_SIGNATURE, TrustFailure.BAD_SIGNATURE, 3);
        assertTrue(r.report().module().isEmpty());
        assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INTAKE_REJECTED), kit.events());
        AuditRecord rejected = kit.records().get(1);
        assertEquals("BAD_SIGNATURE", rejected.cause());
        assertEquals("failed: BAD_SIGNATURE", rejected.verifications().get("supplier-signature"));
        assertTrue(rejected.detail().contains(r.report().packageSha256()), rejected.detail());
        kit.assertLogVerifies();
    }

    @Test
    void refusesCapabilitiesBeyondTheSupplierCertificate() {
        IntakeResult r = integrate(kit.handBuilt("healthy_v1.wasm", IntakeTestKit.HEALTHY_CAPS + ",i2c:1:50"),
                Optional.empty());
        assertRefused(r, IntakeCheck.SUPPLIER_SIGNATURE, PolicyFailure.CAPABILITY_NOT_CERTIFIED, 4);
        assertTrue(r.rejection().orElseThrow().getMessage().contains("i2c:1:50"));
    }

    @Test
    void refusesAPackageAlreadyCountersigned() {
        assertRefused(integrate(kit.fx.released(), Optional.empty()), IntakeCheck.SUPPLIER_SIGNATURE,
                IntakeFailure.ALREADY_COUNTERSIGNED, 4);
    }

    @Test
    void refusesAStartFunction() {
        IntakeResult r = integrate(kit.handBuilt(START_FUNCTION, List.of(TICK), "", 2_000), Optional.empty());
        assertRefused(r, IntakeCheck.WASM, PolicyFailure.INVALID_WASM, 4);
        assertTrue(r.rejection().orElseThrow().getMessage().contains("start function"));
    }

    @Test
    void refusesBytesThatAreNotWebAssembly() {
        byte[] garbage = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x7f, 0x7f, 0x7f};
        assertRefused(integrate(kit.handBuilt(garbage, List.of(TICK), "", 2_000), Optional.empty()), IntakeCheck.WASM,
                PolicyFailure.INVALID_WASM, 4);
    }

    @Test
    void refusesAnImportTheCapabilitiesDoNotCover() {
        IntakeResult r = integrate(kit.handBuilt("forbidden_import.wasm", "log"), Optional.empty());
        assertRefused(r, IntakeCheck.WASM, PolicyFailure.IMPORT_NOT_PERMITTED, 4);
        assertTrue(r.rejection().orElseThrow().getMessage().contains("ecu.i2c_write"));
        assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INTAKE_REJECTED), kit.events());
    }

    @Test
    void refusesExportsThatDifferFromTheManifest() {
        byte[] wasm = Fixtures.wasm("healthy_v1.wasm");
        List<Manifest.Export> declared = new ArrayList<>();
        for (Manifest.Export e : ModuleInterface.read(wasm).exports()) {
            if (e.name().equals("scale")) {
                declared.add(new Manifest.Export("scale", FunctionType.of(List.of("i32"), List.of("i32"))));
            } else if (!e.name().equals("ticks")) {
                declared.add(e);
            }
        }
        declared.add(new Manifest.Export("reset", FunctionType.of(List.of(), List.of())));
        IntakeResult r = integrate(kit.handBuilt(wasm, declared, IntakeTestKit.HEALTHY_CAPS, 2_000), Optional.empty());
        assertRefused(r, IntakeCheck.EXPORTS, PolicyFailure.EXPORT_MISMATCH, 4);
        String why = r.rejection().orElseThrow().getMessage();
        assertTrue(why.contains("reset is declared but not exported") && why.contains("ticks is exported but not declared")
                && why.contains("scale is declared (i32)->(i32) but the module's is (i64)->(i64)"), why);
    }

    @Test
    void refusesAFunctionTooLargeToCompile() {
        IntakeResult r = integrate(kit.handBuilt("huge_function.wasm", ""), Optional.empty());
        assertRefused(r, IntakeCheck.COMPILE, HostPolicyFailure.INTERPRETER_FALLBACK, 4);
        assertTrue(r.rejection().orElseThrow().getMessage().contains("big"));
    }

    @Test
    void refusesAModuleWhoseCompilationOutlastsItsBound() {
        IntakeOptions tight = kit.options(audit).compileBudget(new CompileBudget(Duration.ofMillis(1), Duration.ZERO))
                .build();
        IntakeResult r = new IntakePipeline(kit.oem, tight).integrate(kit.handBuilt("many_functions.wasm", ""),
                Optional.empty());
        assertRefused(r, IntakeCheck.COMPILE, HostPolicyFailure.COMPILE_TOO_SLOW, 4);
        assertTrue(r.rejection().orElseThrow().getMessage().contains("past its bound of 1 ms"));
    }

    @Test
    void refusesAFailingVectorNamingTheCase() {
        IntakeResult r = integrate(kit.healthy(), json("""
                [{"export": "scale", "args": ["21"], "expect": ["42"]},
                 {"name": "version-is-2", "export": "version", "expect": [2]}]"""));
        assertRefused(r, IntakeCheck.VECTORS, VectorFailure.VECTOR_FAILED, 5);
        assertTrue(r.rejection().orElseThrow().getMessage().startsWith("case 1 (version-is-2): expected [2], got [1]"),
                r.rejection().orElseThrow().getMessage());
        assertEquals(2, r.report().vectors().size());
        assertFalse(r.report().vectors().get(1).passed());
    }

    @Test
    void refusesMalformedVectors() {
        assertRefused(integrate(kit.healthy(), json("[{\"export\": \"version\", \"expekt\": [1]}]")),
                IntakeCheck.VECTORS, VectorFailure.MALFORMED_VECTORS, 4);
    }

    @Test
    void refusesATrapDuringTheSoakNamingTheTick() {
        IntakeResult r = integrate(kit.handBuilt("trap_storm.wasm", ""), Optional.empty());
        assertRefused(r, IntakeCheck.SOAK, FaultKind.TRAP, 5);
        assertTrue(r.rejection().orElseThrow().getMessage().startsWith("tick 5 of 300"),
                r.rejection().orElseThrow().getMessage());
        assertEquals(4, r.report().soak().orElseThrow().ticksRun());
    }

    @Test
    void refusesARunawayTick() {
        IntakeResult r = integrate(kit.handBuilt("runaway.wasm", ""), Optional.empty());
        assertRefused(r, IntakeCheck.SOAK, FaultKind.DEADLINE_MISS, 5);
        assertTrue(r.rejection().orElseThrow().getMessage().startsWith("tick 1 of 300"));
    }

    @Test
    void refusesAFailingHealthCheck() {
        assertRefused(integrate(kit.handBuilt("failing_init.wasm", ""), Optional.empty()), IntakeCheck.SOAK,
                FaultKind.HEALTH_CHECK_FAILED, 5);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
