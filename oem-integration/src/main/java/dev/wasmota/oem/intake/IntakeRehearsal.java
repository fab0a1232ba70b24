package dev.wasmota.oem.intake;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageVerifier;
import java.util.List;
import java.util.Optional;

/**
 * A supplier's rehearsal of the OEM's intake, on the supplier's machine ({@code ota supplier
 * test}): the very checks {@link IntakePipeline} runs on the module (WASM, resource caps, imports
 * and capabilities, exports, compilation and its bound, warm-up, vectors, soak with the same
 * seeded inputs, timing margin), in the vehicle's sandbox configuration, with the same options
 * and the same report, so a module the intake would refuse is refused here with the same reason.
 *
 * <p>What needs the OEM is left to it and reported as such: the supplier signature and its
 * certificate chain (here only the package's integrity is checked, so an unsigned package can be
 * tested before signing), the module's owner, and the countersignature. Timing is measured on
 * this machine, not the OEM's. Nothing is audited.
 */
public final class IntakeRehearsal {
    /** The checks only the OEM can make, each reported as skipped or only partly run. */
    public static final List<IntakeCheck> OEM_ONLY = List.of(IntakeCheck.SUPPLIER_SIGNATURE, IntakeCheck.MODULE_OWNER,
            IntakeCheck.COUNTERSIGN);

    private IntakeRehearsal() {
    }

    /** Rehearses the intake of a package file's bytes, signed or not, with a CONTRACT test-vector file's bytes if given. */
    public static RehearsalResult rehearse(IntakeOptions options, byte[] packageFile, Optional<byte[]> vectorsJson) {
        try (IntakeRun run = new IntakeRun(packageFile, options.clock().instant(), options.listener(),
                options.moduleLog())) {
            try {
                run.check(IntakeCheck.SUPPLIER_SIGNATURE, () -> integrity(run));
                run.skip(IntakeCheck.MODULE_OWNER, "not checked by a supplier: the OEM's record of module owners decides");
                run.check(IntakeCheck.SBOM, () -> new dev.wasmota.oem.sbom.SbomCheck(
                        dev.wasmota.oem.policy.OemPolicy.LENIENT).check(run.manifest(), run.pkg).detail());
                IntakePipeline.moduleChecks(options, run, vectorsJson);
                run.skip(IntakeCheck.COUNTERSIGN, "only the OEM countersigns");
            } catch (RejectedException e) {
                return new RehearsalResult(run.report(Optional.empty()), Optional.of(e));
            }
            return new RehearsalResult(run.report(Optional.empty()), Optional.empty());
        }
    }

    /** What the supplier-signature check verifies after the signatures: the manifest parses and binds the module. */
    private static String integrity(IntakeRun run) {
        run.pkg = PackageFile.fromBytes(run.packageBytes);
        Manifest m = ManifestCodec.parse(run.pkg.manifestBytes());
        byte[] wasm = run.pkg.wasmBytes();
        PackageVerifier.checkBinary(m, wasm);
        run.manifest = m;
        run.wasm = wasm;
        return "only partly, as a supplier can: the manifest parses and its module's length and SHA-256 match"
                + (run.pkg.signature().isPresent() ? "; the package is signed" : "; the package is not signed yet")
                + ". The OEM verifies the supplier signature, its certificate chain and that the capabilities ["
                + m.capabilities() + "] lie within the certificate's";
    }
}
