package dev.wasmota.sim;

import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.SupplierKeys;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;

/** The simulated Tier-1 supplier: enrolled with the OEM, it packages and signs modules for the ECU hardware. */
public record SimSupplier(String id, KeyPair keys, List<X509CertificateHolder> chain, Clock clock) {
    static final String CAPABILITIES = "log,clock,can.read:120,can.write:220";

    static SimSupplier enroll(String id, OemPki oem, Clock clock) {
        SecureRandom random = new SecureRandom();
        KeyPair keys = SupplierKeys.generate(id, random);
        X509CertificateHolder cert = oem.enroll(SupplierKeys.request(id, keys), id,
                CapabilitySet.parse("log,clock,can.read:100-1ff,can.write:200-2ff"), clock.instant().minusSeconds(3600),
                Duration.ofDays(30), random);
        return new SimSupplier(id, keys, List.of(cert, oem.supplierCa().cert()), clock);
    }

    /** A signed package of {@code wasm} as module {@code moduleId}. */
    public byte[] sign(byte[] wasm, String moduleId, String version, long securityVersion) {
        PackageSpec spec = new PackageSpec(moduleId, version, securityVersion, PackageSpec.UNASSIGNED,
                CapabilitySet.parse(CAPABILITIES), 1, 2000, 10, List.of(SimVehicle.HARDWARE), Optional.empty());
        return PackageFile.toBytes(new PackageSigner(clock).sign(Packager.build(wasm, spec), keys.getPrivate(), chain));
    }
}
