package dev.wasmota.oem.intake;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pkg.ModulePackage;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one intake: the report, and either the countersigned package or the refusal.
 * A refusal is a value here, so the caller can still write the report; {@link #release()} turns
 * it back into the exception that carries the CONTRACT exit code.
 *
 * @param report what every check found
 * @param countersigned the released package, when accepted
 * @param rejection the refusal, when refused
 */
public record IntakeResult(IntakeReport report, Optional<ModulePackage> countersigned,
        Optional<RejectedException> rejection) {
    public IntakeResult {
        Objects.requireNonNull(report, "report");
        if (countersigned.isPresent() == rejection.isPresent()) {
            throw new IllegalArgumentException("an intake result is either a release or a rejection");
        }
    }

    static IntakeResult accepted(IntakeReport report, ModulePackage release) {
        return new IntakeResult(report, Optional.of(release), Optional.empty());
    }

    static IntakeResult rejected(IntakeReport report, RejectedException e) {
        return new IntakeResult(report, Optional.empty(), Optional.of(e));
    }

    public boolean accepted() {
        return countersigned.isPresent();
    }

    /**
     * The countersigned package.
     *
     * @throws RejectedException the refusal, when the package was refused
     */
    public ModulePackage release() {
        if (rejection.isPresent()) {
            throw rejection.get();
        }
        return countersigned.orElseThrow();
    }
}
