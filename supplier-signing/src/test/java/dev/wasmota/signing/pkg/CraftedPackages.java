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

    /** The package with {@code supplier}'s signature over its manifest bytes, unchecked. */
    public static ModulePackage signUnchecked(ModulePackage pkg, Fixtures.Supplier supplier, Clock clock) {
        return new PackageSigner(clock).signManifestBytes(pkg, supplier.keys().getPrivate(), supplier.chain());
    }
}
