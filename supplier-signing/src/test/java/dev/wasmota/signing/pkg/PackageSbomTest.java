package dev.wasmota.signing.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.ManifestCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The package's optional SBOM entry: its layout, its binding to the manifest, and old packages unchanged. */
class PackageSbomTest {
    static final byte[] SBOM = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    Fixtures fx;
    ModulePackage unsigned;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        unsigned = Packager.build(Fixtures.wasm("healthy_v1.wasm"), Fixtures.spec("healthy", "1.0.0", 1,
                Fixtures.HEALTHY_CAPS), SBOM);
    }

    @Test
    void theManifestNamesTheSbomAndSigningKeepsIt() {
        assertEquals(Optional.of(Digests.sha256Hex(SBOM)), ManifestCodec.parse(unsigned.manifestBytes()).sbomSha256());
        ModulePackage released = fx.countersigned(fx.supplierSigned(unsigned, fx.acme));

        assertArrayEquals(SBOM, released.sbom().orElseThrow());
        VerifiedPackage v = new PackageVerifier(fx.oem.trustStore(), fx.clock).verify(released);
        assertArrayEquals(SBOM, v.pkg().sbom().orElseThrow());
    }

    @Test
    void roundTripsSignedAndUnsignedWithTheSbomBeforeTheSignature() {
        ModulePackage signed = fx.supplierSigned(unsigned, fx.acme);
        for (ModulePackage p : new ModulePackage[] {unsigned, signed}) {
            byte[] bytes = PackageFile.toBytes(p);
            assertEquals(p, PackageFile.fromBytes(bytes));
            for (int len = 0; len < bytes.length; len++) {
                byte[] cut = Arrays.copyOf(bytes, len);
                assertThrows(RejectedException.class, () -> PackageFile.fromBytes(cut), "truncated at " + len);
            }
        }
        byte[] bytes = PackageFile.toBytes(signed);
        assertEquals(4, bytes[8], "four entries");
        int sbomAt = 9 + 5 + signed.manifestBytes().length + 5 + signed.wasmBytes().length;
        assertEquals(PackageFile.TAG_SBOM, bytes[sbomAt]);
        assertEquals(PackageFile.TAG_SIGNATURE, bytes[sbomAt + 5 + SBOM.length]);
    }

    @Test
    void aPackageWithoutAnSbomIsTheFormatItWas() {
        ModulePackage old = fx.released();
        byte[] bytes = PackageFile.toBytes(old);
        assertEquals(3, bytes[8]);
        assertTrue(PackageFile.fromBytes(bytes).sbom().isEmpty());
    }

    @Test
    void refusesAnSbomThatIsNotTheOneTheManifestNames() {
        ModulePackage signed = fx.countersigned(fx.supplierSigned(unsigned, fx.acme));
        byte[] other = SBOM.clone();
        other[other.length - 2] ^= 1;
        ModulePackage swapped = PackageFile.fromBytes(PackageFile.toBytes(signed)).withSbom(other);

        RejectedException e = assertThrows(RejectedException.class,
                () -> new PackageVerifier(fx.oem.trustStore(), fx.clock).verify(swapped));

        assertEquals(TrustFailure.DIGEST_MISMATCH, e.reason());
        assertEquals(ExitCode.TRUST, e.exitCode());
    }

    @Test
    void refusesAnSbomTheManifestDoesNotName() {
        ModulePackage added = fx.released().withSbom(SBOM);

        RejectedException e = assertThrows(RejectedException.class,
                () -> new PackageVerifier(fx.oem.trustStore(), fx.clock).verify(added));

        assertTrue(e.getMessage().contains("does not name"), e.getMessage());
    }

    @Test
    void refusesAnSbomEntryAfterTheSignature() {
        ModulePackage signed = fx.supplierSigned(unsigned, fx.acme);
        byte[] manifest = signed.manifestBytes();
        byte[] wasm = signed.wasmBytes();
        byte[] sig = signed.signature().orElseThrow();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {'W', 'O', 'T', 'A', 'P', 'K', 'G', '1', 4});
        entry(out, 1, manifest);
        entry(out, 2, wasm);
        entry(out, 3, sig);
        entry(out, 4, SBOM);

        RejectedException e = assertThrows(RejectedException.class, () -> PackageFile.fromBytes(out.toByteArray()));
        assertTrue(e.getMessage().contains("follows the signature"), e.getMessage());
    }

    private static void entry(java.io.ByteArrayOutputStream out, int tag, byte[] body) {
        out.write(tag);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(body.length).array());
        out.writeBytes(body);
    }
}
