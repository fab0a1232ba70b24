package dev.wasmota.signing.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;

/** The manifest parser: refuses with a reason, or accepts exactly the canonical bytes of what it returns. */
class ManifestCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parsesOnlyCanonicalManifests(byte[] bytes) {
        Manifest m;
        try {
            m = ManifestCodec.parse(bytes);
        } catch (RejectedException e) {
            FuzzFixtures.assertNamed(e);
            return;
        }
        assertArrayEquals(bytes, ManifestCodec.canonicalBytes(m), "accepted bytes are the canonical form");
        assertEquals(m, ManifestCodec.parse(ManifestCodec.canonicalBytes(m)));
    }
}
