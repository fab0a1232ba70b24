package dev.wasmota.oem.intake;

import dev.wasmota.oem.pki.OemPki;

import dev.wasmota.signing.pki.TrustHierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.manifest.ResourceCaps;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.cms.CMSSignedData;

/**
 * What the intake tests share: an OEM and supplier acme from {@link Fixtures}, supplier-signed
 * packages of corpus modules (honestly packaged, or with a manifest written by hand where the
 * packager or signer would refuse), a pipeline writing to the OEM's audit log, and assertions.
 */
final class IntakeTestKit {
    static final String HEALTHY_CAPS = "log,clock,can.read:120,can.write:220";
    static final String BRAKE_CAPS = "log,can.read:1A0-1A3,can.read:1B0,can.write:3A0-3A3";
    /**
     * Deadline of the modules the tests accept: generous, because timing is measured for real on
     * a build machine that may be loaded (the timing tests control their own deadlines).
     */
    static final long DEADLINE_US = 200_000;

    final Fixtures fx;
    /** The fixture OEM's keys as {@code ota oem init} keeps them: what the OEM's services take. */
    final OemPki oem;
    /** A supplier certified for what brake_temp needs (acme's certificate lacks CAN writes at 0x3A0). */
    final Fixtures.Supplier brakes;
    final Path auditFile;

    IntakeTestKit(Path dir) {
        this.fx = new Fixtures(dir);
        try {
            this.oem = OemPki.load(fx.oemDir(), fx.clock, Fixtures.seeded(7));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.brakes = fx.supplier("brakes", CapabilitySet.parse(BRAKE_CAPS), Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 5);
        this.auditFile = dir.resolve("oem").resolve("audit.log");
    }

    static PackageSpec spec(String moduleId, String caps, int pages, long deadlineUs) {
        return new PackageSpec(moduleId, "1.0.0", 1, PackageSpec.UNASSIGNED, CapabilitySet.parse(caps), pages,
                deadlineUs, 10, List.of("ecu-a"), Optional.empty());
    }

    /** {@code wasmFile} packaged by the honest packager and signed by acme. */
    ModulePackage submitted(String wasmFile, PackageSpec spec) {
        return submitted(wasmFile, spec, fx.acme);
    }

    ModulePackage submitted(String wasmFile, PackageSpec spec, Fixtures.Supplier supplier) {
        return fx.supplierSigned(Packager.build(Fixtures.wasm(wasmFile), spec), supplier);
    }

    ModulePackage healthy() {
        return submitted("healthy_v1.wasm", spec("healthy", HEALTHY_CAPS, 1, DEADLINE_US));
    }

    ModulePackage brakeTemp() {
        return submitted("brake_temp.wasm", spec("brake-temp", BRAKE_CAPS, 1, DEADLINE_US), brakes);
    }

    /**
     * {@code wasm} as module {@code crafted} with a manifest written by hand, signed as it is by
     * acme's real key: what a supplier bypassing the packager and signer could submit.
     */
    ModulePackage handBuilt(byte[] wasm, List<Manifest.Export> exports, String caps, long deadlineUs) {
        ResourceCaps resources;
        try {
            resources = Fixtures.capsOf(wasm, spec("crafted", caps, 1, deadlineUs));
        } catch (RejectedException notWasm) {
            resources = new ResourceCaps(0, 0, 0, 0, 0, 0, 0);
        }
        return handBuilt(wasm, exports, caps, deadlineUs, resources);
    }

    /** A corpus module with a hand-written manifest declaring its true exports and {@code resources} as its caps. */
    ModulePackage handBuilt(String wasmFile, ResourceCaps resources) {
        byte[] wasm = Fixtures.wasm(wasmFile);
        return handBuilt(wasm, ModuleInterface.read(wasm).exports(), "", DEADLINE_US, resources);
    }

    private ModulePackage handBuilt(byte[] wasm, List<Manifest.Export> exports, String caps, long deadlineUs,
            ResourceCaps resources) {
        Manifest m = new Manifest("crafted", "1.0.0", 1, "acme", Digests.sha256Hex(wasm), wasm.length, exports,
                CapabilitySet.parse(caps), 1, resources, deadlineUs, 10, List.of("ecu-a"), Optional.empty());
        return rawSign(new ModulePackage(ManifestCodec.canonicalBytes(m), wasm, Optional.empty()), fx.acme, fx.clock);
    }

    /** A corpus module with a hand-written manifest declaring its true exports. */
    ModulePackage handBuilt(String wasmFile, String caps) {
        byte[] wasm = Fixtures.wasm(wasmFile);
        return handBuilt(wasm, ModuleInterface.read(wasm).exports(), caps, 2_000);
    }

    static Optional<byte[]> vectors(String file) {
        try {
            return Optional.of(Files.readAllBytes(Fixtures.corpus(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<byte[]> json(String text) {
        return Optional.of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Options for tests: the fixtures' clock, a short soak, a fixed seed. */
    IntakeOptions.Builder options(AuditLog audit) {
        return IntakeOptions.builder().clock(fx.clock).soakTicks(300).seed(42).audit(audit);
    }

    static void assertRefused(IntakeResult r, IntakeCheck at, Reason reason, int exit) {
        assertFalse(r.accepted(), () -> "accepted: " + r.report().checks());
        RejectedException e = r.rejection().orElseThrow();
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(exit, e.exitCode().code(), e.getMessage());
        assertEquals(CheckResult.Status.FAILED, r.report().check(at).status(), () -> r.report().checks().toString());
        assertTrue(r.report().check(IntakeCheck.COUNTERSIGN).status() == CheckResult.Status.NOT_RUN);
        assertTrue(r.countersigned().isEmpty());
    }

    List<AuditRecord> records() {
        return AuditLog.read(auditFile);
    }

    List<AuditEvent> events() {
        return records().stream().map(AuditRecord::event).toList();
    }

    void assertLogVerifies() {
        var v = AuditLog.verify(auditFile);
        assertTrue(v.ok(), v.summary());
    }

    static ModulePackage rawSign(ModulePackage pkg, Fixtures.Supplier supplier, Clock clock) {
        return dev.wasmota.signing.pkg.CraftedPackages.signUnchecked(pkg, supplier, clock);
    }
}
