package dev.wasmota.oem.intake;

/**
 * The intake's steps, in the order they run: the checks, then the countersignature, which is
 * made only if every check passed and is itself checked as a vehicle would check it.
 */
public enum IntakeCheck {
    /** Supplier signature, certificate chain, supplier id, binary digest and length, capabilities within the certificate. */
    SUPPLIER_SIGNATURE("supplier-signature"),
    /**
     * The module id is the supplier's: no intake accepted it from another supplier, or the OEM
     * transferred it to this one, whose package is at or above where the transfer starts.
     */
    MODULE_OWNER("module-owner"),
    /**
     * The SBOM the package carries is the one its manifest names, CycloneDX 1.5 or later, describes
     * this module by its SHA-256 and lists no component the OEM's known-vulnerable list refuses; a
     * package without one passes unless the OEM's policy requires it.
     */
    SBOM("sbom"),
    /** Valid WebAssembly, no feature the host cannot bound, imports covered by the capabilities, tick/init types, memory cap. */
    WASM("wasm"),
    /** The module's function exports are exactly the manifest's, names and types. */
    EXPORTS("exports"),
    /** Compiled with the vehicle's compiler (no interpreter fallback), twice to the same digest, and instantiated. */
    COMPILE("compile"),
    /**
     * The vectors and some ticks run once under a relaxed deadline, so the JVM has linked the
     * module's code, as on a vehicle host that has been running; not judged, cold call times reported.
     */
    WARMUP("warm-up"),
    /** The supplier's test vectors pass in the vehicle's own sandbox configuration (skipped when none are given). */
    VECTORS("vectors"),
    /** {@code init()} then many {@code tick()} calls with random CAN inputs: no trap, no deadline miss. */
    SOAK("soak"),
    /** The worst call time over vectors and soak is within the margin of the deadline (confirmed by a second measurement). */
    TIMING("timing"),
    /**
     * Countersigned with the release key, stating the compiled digest and the module's owner (the
     * first supplier's package makes it the owner); the release verifies as a vehicle verifies it.
     */
    COUNTERSIGN("countersign");

    private final String label;

    IntakeCheck(String label) {
        this.label = label;
    }

    /** The check's name in reports, progress lines and audit records. */
    public String label() {
        return label;
    }
}
