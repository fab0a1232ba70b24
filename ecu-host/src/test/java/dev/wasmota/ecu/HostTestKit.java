package dev.wasmota.ecu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.ecu.sandbox.CompiledOutputDigest;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.manifest.ResourceCaps;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.function.Executable;

/**
 * What the host tests share: an OEM and supplier from {@link Fixtures}, released packages of
 * corpus modules, crafted packages an honest packager would refuse, a host on a state directory,
 * and readers for its audit log.
 */
final class HostTestKit {
    static final String HEALTHY = "healthy";
    static final String HEALTHY_CAPS = "log,clock,can.read:120,can.write:220";
    static final HostIdentity ECU_A = new HostIdentity("ecu-a", "vin-1");

    /** One compilation per corpus module for the whole test JVM. */
    private static final CompiledModuleCache COMPILED = new CompiledModuleCache();

    final Fixtures fx;
    private final ByteArrayOutputStream eventBytes = new ByteArrayOutputStream();
    final PrintStream events = new PrintStream(eventBytes, true, StandardCharsets.UTF_8);

    HostTestKit(Path pkiDir) {
        this.fx = new Fixtures(pkiDir);
    }

    /** A spec for {@code moduleId} with the given limits, for hardware {@code ecu-a}. */
    static PackageSpec spec(String moduleId, String version, long securityVersion, String caps, int memoryPages,
            long deadlineUs, long periodMs) {
        return new PackageSpec(moduleId, version, securityVersion, PackageSpec.UNASSIGNED, CapabilitySet.parse(caps),
                memoryPages, deadlineUs, periodMs, List.of("ecu-a"), Optional.empty());
    }

    /**
     * A spec with 1 page, a 50 ms deadline and a 10 ms period. The deadline is generous because
     * the first call into a freshly compiled module (the install's health check) also loads its
     * generated classes, which can take over 2 ms on a cold JVM.
     */
    static PackageSpec spec(String moduleId, String version, long securityVersion, String caps) {
        return spec(moduleId, version, securityVersion, caps, 1, 50_000, 10);
    }

    /** {@code wasmFile} packaged by the honest packager, signed by acme and countersigned: the file's bytes. */
    byte[] released(String wasmFile, PackageSpec spec) {
        return released(wasmFile, spec, fx.acme);
    }

    byte[] released(String wasmFile, PackageSpec spec, Fixtures.Supplier supplier) {
        ModulePackage pkg = Packager.build(Fixtures.wasm(wasmFile), spec);
        return PackageFile.toBytes(fx.countersigned(fx.supplierSigned(pkg, supplier)));
    }

    /**
     * As {@link #released(String, PackageSpec)}, with the OEM's statement of the compiled output
     * in the countersignature, as intake makes it.
     */
    byte[] stated(String wasmFile, PackageSpec spec) {
        byte[] wasm = Fixtures.wasm(wasmFile);
        String compiled = COMPILED.get(wasm, spec.capabilities()).compiledSha256();
        ModulePackage signed = fx.supplierSigned(Packager.build(wasm, spec), fx.acme);
        return PackageFile.toBytes(new PackageSigner(fx.clock).countersign(signed, fx.oem.release().key(),
                fx.oem.release().cert(), ReleaseAttributes.of(new ReleaseAttributes.CompiledOutput(
                        CompiledOutputDigest.COMPILER, compiled))));
    }

    /**
     * As {@link #stated(String, PackageSpec)}, the countersignature also carrying {@code vectors}
     * as the OEM's acceptance vectors (signed with the OEM's real release key).
     */
    byte[] stated(String wasmFile, PackageSpec spec, dev.wasmota.signing.pkg.AcceptanceVectors vectors) {
        byte[] wasm = Fixtures.wasm(wasmFile);
        String compiled = COMPILED.get(wasm, spec.capabilities()).compiledSha256();
        ModulePackage signed = fx.supplierSigned(Packager.build(wasm, spec), fx.acme);
        return PackageFile.toBytes(new PackageSigner(fx.clock).countersign(signed, fx.oem.release().key(),
                fx.oem.release().cert(), vectors.addTo(ReleaseAttributes.of(new ReleaseAttributes.CompiledOutput(
                        CompiledOutputDigest.COMPILER, compiled)))));
    }

    /** The healthy module at {@code version}: {@code healthy_v1.wasm} for 1.x, {@code healthy_v2.wasm} otherwise. */
    byte[] healthy(String version, long securityVersion) {
        String wasm = version.startsWith("1.") ? "healthy_v1.wasm" : "healthy_v2.wasm";
        return released(wasm, spec(HEALTHY, version, securityVersion, HEALTHY_CAPS));
    }

    /**
     * A package whose manifest is written by hand for {@code supplier}, skipping the packager's
     * import check, signed by the honest signer (which still refuses capabilities beyond the
     * certificate) and countersigned.
     */
    byte[] handBuilt(String wasmFile, PackageSpec spec, Fixtures.Supplier supplier) {
        byte[] wasm = Fixtures.wasm(wasmFile);
        return handBuilt(wasm, spec, Fixtures.capsOf(wasm, spec), supplier);
    }

    /** As {@link #handBuilt(String, PackageSpec, Fixtures.Supplier)} by acme, the manifest stating {@code caps}. */
    byte[] handBuilt(String wasmFile, PackageSpec spec, ResourceCaps caps) {
        return handBuilt(Fixtures.wasm(wasmFile), spec, caps, fx.acme);
    }

    private byte[] handBuilt(byte[] wasm, PackageSpec spec, ResourceCaps caps, Fixtures.Supplier supplier) {
        ModulePackage raw = unchecked(wasm, spec, supplier.id(), caps);
        return PackageFile.toBytes(fx.countersigned(fx.supplierSigned(raw, supplier)));
    }

    /**
     * A package built by the packager for {@code supplier} and signed with the supplier's real
     * key without the signer's capability check, then countersigned: what a supplier who
     * bypasses the signing tool could send.
     */
    byte[] signedUnchecked(String wasmFile, PackageSpec spec, Fixtures.Supplier supplier) {
        PackageSpec forSupplier = new PackageSpec(spec.moduleId(), spec.version(), spec.securityVersion(), supplier.id(),
                spec.capabilities(), spec.memoryPages(), spec.deadlineUs(), spec.periodMs(), spec.hardwareIds(),
                spec.sbomSha256());
        ModulePackage raw = Packager.build(Fixtures.wasm(wasmFile), forSupplier);
        return PackageFile.toBytes(fx.countersigned(rawSign(raw, supplier, fx.clock)));
    }

    /** A host configuration on {@code stateDir}: ECU {@code ecu-a}, the fixtures' clock, the shared compile cache. */
    HostConfig.Builder config(Path stateDir) {
        return HostConfig.builder(stateDir, fx.oem.trustStore()).identity(ECU_A).clock(fx.clock)
                .compiledModules(COMPILED).environment(quietEnvironment());
    }

    EcuHost open(HostConfig config) {
        return EcuHost.open(config, events);
    }

    EcuHost open(Path stateDir) {
        return open(config(stateDir).build());
    }

    /** What the host printed as events so far. */
    String printed() {
        return eventBytes.toString(StandardCharsets.UTF_8);
    }

    static HostEnvironment quietEnvironment() {
        return HostEnvironment.simulated().withLog((id, line) -> { });
    }

    static List<AuditRecord> records(EcuHost host) {
        return AuditLog.read(host.auditFile());
    }

    static List<AuditEvent> eventsOf(List<AuditRecord> records) {
        return records.stream().map(AuditRecord::event).toList();
    }

    /** The records appended after the first {@code skip}. */
    static List<AuditRecord> after(List<AuditRecord> records, int skip) {
        return records.subList(skip, records.size());
    }

    static AuditRecord only(List<AuditRecord> records, AuditEvent event) {
        List<AuditRecord> matching = records.stream().filter(r -> r.event() == event).toList();
        assertEquals(1, matching.size(), () -> "one " + event + " record expected in " + eventsOf(records));
        return matching.get(0);
    }

    static void assertLogVerifies(EcuHost host) {
        var result = AuditLog.verify(host.auditFile());
        assertTrue(result.ok(), result.summary());
    }

    /** Asserts {@code call} is refused for {@code reason} with CONTRACT exit code {@code exit}. */
    static RejectedException assertRejected(Reason reason, int exit, Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(exit, e.exitCode().code(), e.getMessage());
        return e;
    }

    static String wasmSha256(String wasmFile) {
        return Digests.sha256Hex(Fixtures.wasm(wasmFile));
    }

    /** Waits up to {@code timeout} for {@code condition}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Waits until the host's log holds a record matching {@code match}, and returns it. */
    static AuditRecord awaitRecord(EcuHost host, Duration timeout, String what, Predicate<AuditRecord> match)
            throws InterruptedException {
        await(timeout, what, () -> records(host).stream().anyMatch(match));
        return records(host).stream().filter(match).findFirst().orElseThrow();
    }

    private static ModulePackage unchecked(byte[] wasm, PackageSpec spec, String supplierId, ResourceCaps caps) {
        Manifest m = new Manifest(spec.moduleId(), spec.version(), spec.securityVersion(), supplierId,
                Digests.sha256Hex(wasm), wasm.length, ModuleInterface.read(wasm).exports(), spec.capabilities(),
                spec.memoryPages(), caps, spec.deadlineUs(), spec.periodMs(), spec.hardwareIds(), spec.sbomSha256());
        return new ModulePackage(ManifestCodec.canonicalBytes(m), wasm, Optional.empty());
    }

    static ModulePackage rawSign(ModulePackage pkg, Fixtures.Supplier supplier, Clock clock) {
        return dev.wasmota.signing.pkg.CraftedPackages.signUnchecked(pkg, supplier, clock);
    }
}
