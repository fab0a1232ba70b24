package dev.wasmota.oem.intake;

import static dev.wasmota.oem.intake.IntakeTestKit.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditLog;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.ecu.sandbox.HostPolicyFailure;
import dev.wasmota.oem.vectors.VectorFailure;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ResourceCaps;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supplier's rehearsal ({@code ota supplier test}) refuses what the OEM's intake refuses, at the
 * same check with the same reason and detail, and passes what it accepts with the same findings;
 * it leaves the supplier signature's verification, the module's owner and the countersignature to
 * the OEM.
 */
class IntakeRehearsalTest {
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

    private IntakeResult integrate(IntakeOptions.Builder options, ModulePackage pkg, Optional<byte[]> vectors) {
        return new IntakePipeline(kit.oem, options.audit(audit).build()).integrate(pkg, vectors);
    }

    private static RehearsalResult rehearse(IntakeOptions.Builder options, ModulePackage pkg, Optional<byte[]> vectors) {
        return IntakeRehearsal.rehearse(options.build(), PackageFile.toBytes(pkg), vectors);
    }

    /** Runs both on {@code pkg}, asserts they refuse at {@code at} for {@code reason} with the same detail; returns the rehearsal's refusal. */
    private RejectedException refusedAlike(ModulePackage pkg, Optional<byte[]> vectors, IntakeCheck at, Reason reason) {
        IntakeResult oem = integrate(kit.options(null), pkg, vectors);
        RehearsalResult supplier = rehearse(kit.options(null), pkg, vectors);
        return compare(oem, supplier, at, reason, true);
    }

    private static RejectedException compare(IntakeResult oem, RehearsalResult supplier, IntakeCheck at, Reason reason,
            boolean sameDetail) {
        IntakeTestKit.assertRefused(oem, at, reason, reason.exitCode().code());
        assertFalse(supplier.passed(), () -> "passed: " + supplier.report().checks());
        RejectedException o = oem.rejection().orElseThrow();
        RejectedException s = supplier.rejection().orElseThrow();
        assertEquals(o.reason(), s.reason(), s.getMessage());
        assertEquals(o.exitCode(), s.exitCode());
        assertEquals(oem.report().rejection().orElseThrow().check(), supplier.report().rejection().orElseThrow().check());
        assertEquals(CheckResult.Status.FAILED, supplier.report().check(at).status());
        if (sameDetail) {
            assertEquals(measuredTimesMasked(o.getMessage()), measuredTimesMasked(s.getMessage()));
        }
        return s;
    }

    /** The detail without the microseconds measured, which differ from run to run. */
    private static String measuredTimesMasked(String detail) {
        return detail.replaceAll("\\b\\d+(\\.\\d+)? us\\b", "N us");
    }

    @Test
    void refusesResourcesBeyondTheCapsAsTheIntakeDoes() {
        refusedAlike(kit.handBuilt("table_bomb_declared.wasm", new ResourceCaps(10, 65_536, 0, 0, 0, 0, 0)),
                Optional.empty(), IntakeCheck.WASM, PolicyFailure.RESOURCE_LIMIT);
        refusedAlike(kit.handBuilt("table_bomb_100.wasm", new ResourceCaps(100, 100, 4, 0, 0, 0, 0)),
                Optional.empty(), IntakeCheck.WASM, PolicyFailure.RESOURCE_LIMIT);
    }

    @Test
    void refusesAnImportTheCapabilitiesDoNotCoverAsTheIntakeDoes() {
        refusedAlike(kit.handBuilt("forbidden_import.wasm", "log"), Optional.empty(), IntakeCheck.WASM,
                PolicyFailure.IMPORT_NOT_PERMITTED);
    }

    @Test
    void refusesTheExportContractAsTheIntakeDoes() {
        byte[] wasm = Fixtures.wasm("no_tick.wasm");
        refusedAlike(kit.handBuilt(wasm, dev.wasmota.signing.wasm.ModuleInterface.read(wasm).exports(), "", 2_000),
                Optional.empty(), IntakeCheck.WASM, PolicyFailure.EXPORT_MISMATCH);
        List<Manifest.Export> lying = List.of(new Manifest.Export("tick", FunctionType.of(List.of(), List.of())),
                new Manifest.Export("reset", FunctionType.of(List.of(), List.of())));
        refusedAlike(kit.handBuilt(Fixtures.wasm("empty.wasm"), lying, "", 2_000), Optional.empty(), IntakeCheck.EXPORTS,
                PolicyFailure.EXPORT_MISMATCH);
    }

    @Test
    void refusesAFunctionTooLargeToCompileAsTheIntakeDoes() {
        refusedAlike(kit.handBuilt("huge_function.wasm", ""), Optional.empty(), IntakeCheck.COMPILE,
                HostPolicyFailure.INTERPRETER_FALLBACK);
    }

    @Test
    void refusesAFailingVectorAsTheIntakeDoes() {
        RejectedException e = refusedAlike(kit.healthy(), json("[{\"export\": \"version\", \"expect\": [2]}]"),
                IntakeCheck.VECTORS, VectorFailure.VECTOR_FAILED);
        assertTrue(e.getMessage().startsWith("case 0"), e.getMessage());
    }

    @Test
    void refusesATrapInTheSoakAtTheSameTickAsTheIntake() {
        RejectedException e = refusedAlike(kit.handBuilt("trap_storm.wasm", ""), Optional.empty(), IntakeCheck.SOAK,
                FaultKind.TRAP);
        assertTrue(e.getMessage().startsWith("tick 5 of 300"), e.getMessage());
    }

    @Test
    void refusesARunawayTickAndAFailingHealthCheckAsTheIntakeDoes() {
        refusedAlike(kit.handBuilt("runaway.wasm", ""), Optional.empty(), IntakeCheck.SOAK, FaultKind.DEADLINE_MISS);
        refusedAlike(kit.handBuilt("failing_init.wasm", ""), Optional.empty(), IntakeCheck.SOAK,
                FaultKind.HEALTH_CHECK_FAILED);
    }

    @Test
    void refusesAWorstCallOverTheTimingMarginAsTheIntakeDoes() {
        ModulePackage slow = kit.submitted("healthy_v1.wasm", IntakeTestKit.spec("healthy", IntakeTestKit.HEALTHY_CAPS,
                1, IntakeTimingTest.DEADLINE_US));
        Optional<byte[]> vectors = IntakeTestKit.vectors("healthy_v1.vectors.json");
        IntakeResult oem = integrate(kit.options(null).moduleLog(IntakeTimingTest.slowOn(n -> true)), slow, vectors);
        RehearsalResult supplier = rehearse(kit.options(null).moduleLog(IntakeTimingTest.slowOn(n -> true)), slow, vectors);
        RejectedException e = compare(oem, supplier, IntakeCheck.TIMING, IntakeFailure.TIMING_MARGIN, false);
        assertTrue(e.getMessage().contains("budget 200000.0 us = 50% of the 400000 us deadline"), e.getMessage());
    }

    @Test
    void refusesAModuleItsManifestDoesNotBindAsTheIntakeDoes() {
        ModulePackage signed = kit.healthy();
        byte[] wasm = signed.wasmBytes();
        wasm[wasm.length - 1] ^= 1;
        ModulePackage swapped = new ModulePackage(signed.manifestBytes(), wasm, signed.signature());
        refusedAlike(swapped, Optional.empty(), IntakeCheck.SUPPLIER_SIGNATURE, TrustFailure.DIGEST_MISMATCH);
    }

    @Test
    void passesWhatTheIntakeAcceptsWithTheSameFindings() {
        ModulePackage pkg = kit.brakeTemp();
        Optional<byte[]> vectors = IntakeTestKit.vectors("brake_temp.vectors.json");
        IntakeResult oem = integrate(kit.options(null), pkg, vectors);
        RehearsalResult supplier = rehearse(kit.options(null), pkg, vectors);

        assertTrue(oem.accepted(), () -> oem.report().checks().toString());
        assertTrue(supplier.passed(), () -> supplier.report().checks().toString());
        IntakeReport o = oem.report();
        IntakeReport s = supplier.report();
        assertFalse(s.accepted(), "a rehearsal is never a release");
        assertEquals(Optional.empty(), s.releaseSha256());
        assertEquals(o.module(), s.module());
        assertEquals(o.vectors().stream().map(c -> c.label() + c.actual()).toList(),
                s.vectors().stream().map(c -> c.label() + c.actual()).toList());
        assertEquals(o.soak(), s.soak(), "the same seeded inputs, ticks and CAN ids");
        assertEquals(o.compiled().orElseThrow().sha256(), s.compiled().orElseThrow().sha256());
        assertEquals(o.moduleLog(), s.moduleLog());
        for (IntakeCheck c : IntakeCheck.values()) {
            CheckResult.Status expected = c == IntakeCheck.MODULE_OWNER || c == IntakeCheck.COUNTERSIGN
                    ? CheckResult.Status.SKIPPED : CheckResult.Status.OK;
            assertEquals(expected, s.check(c).status(), c.label());
        }
        assertTrue(s.check(IntakeCheck.SUPPLIER_SIGNATURE).detail().startsWith("only partly"),
                s.check(IntakeCheck.SUPPLIER_SIGNATURE).detail());
    }

    @Test
    void testsAPackageBeforeItIsSigned() {
        ModulePackage unsigned = Packager.build(Fixtures.wasm("healthy_v1.wasm"),
                IntakeTestKit.spec("healthy", IntakeTestKit.HEALTHY_CAPS, 1, IntakeTestKit.DEADLINE_US));
        RehearsalResult r = rehearse(kit.options(null), unsigned, IntakeTestKit.vectors("healthy_v1.vectors.json"));
        assertTrue(r.passed(), () -> r.report().checks().toString());
        assertTrue(r.report().check(IntakeCheck.SUPPLIER_SIGNATURE).detail().contains("not signed yet"));
        IntakeResult oem = integrate(kit.options(null), unsigned, Optional.empty());
        assertEquals(TrustFailure.UNSIGNED, oem.rejection().orElseThrow().reason(), "the OEM still requires the signature");
    }

    @Test
    void recordsNothingInTheOemsAuditLog() {
        rehearse(kit.options(audit), kit.healthy(), Optional.empty());
        assertEquals(List.of(), kit.events());
    }
}
