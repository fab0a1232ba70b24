package dev.wasmota.signing.pkg;

import dev.wasmota.signing.Fixtures;
import java.time.Clock;

/**
 * For other modules' tests: signs a package's manifest bytes exactly as they are, skipping the
 * checks {@link PackageSigner#sign} makes, so a test can build the package an attacker would.
 */
public final class CraftedPackages {
    private CraftedPackages() {
    }

    /** The CMS structure of a signed package, for tests that take it apart. */
    public static org.bouncycastle.cms.CMSSignedData cms(ModulePackage pkg) {
        try {
            return new org.bouncycastle.cms.CMSSignedData(new org.bouncycastle.cms.CMSProcessableByteArray(
                    pkg.manifestBytes()), pkg.signature().orElseThrow());
        } catch (org.bouncycastle.cms.CMSException e) {
            throw new AssertionError(e);
        }
    }

    /** The package with {@code supplier}'s signature over its manifest bytes, unchecked. */
    public static ModulePackage signUnchecked(ModulePackage pkg, Fixtures.Supplier supplier, Clock clock) {
        return new PackageSigner(clock).signManifestBytes(pkg, supplier.keys().getPrivate(), supplier.chain());
    }
}
