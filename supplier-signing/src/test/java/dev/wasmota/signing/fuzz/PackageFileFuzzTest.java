package dev.wasmota.signing.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.VerifiedPackage;

/** The package reader and the verification gate on arbitrary package bytes, against a fixed test OEM. */
class PackageFileFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void readsAndVerifiesOrRefuses(byte[] bytes) {
        Fixtures fx = FuzzFixtures.fixtures();
        ModulePackage pkg;
        try {
            pkg = PackageFile.fromBytes(bytes);
        } catch (RejectedException e) {
            FuzzFixtures.assertNamed(e);
            return;
        }
        assertArrayEquals(bytes, PackageFile.toBytes(pkg), "a package read re-encodes to the same bytes");
        try {
            VerifiedPackage verified = new PackageVerifier(fx.oem.trustStore(), fx.clock).verify(pkg);
            assertArrayEquals(pkg.manifestBytes(), ManifestCodec.canonicalBytes(verified.manifest()),
                    "a verified manifest is its own canonical form");
            assertEquals(pkg.wasmBytes().length, verified.manifest().wasmLength());
        } catch (RejectedException e) {
            FuzzFixtures.assertNamed(e);
        }
    }
}
