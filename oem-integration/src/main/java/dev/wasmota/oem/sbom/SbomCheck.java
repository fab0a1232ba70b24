package dev.wasmota.oem.sbom;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.policy.OemPolicy;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageVerifier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Intake's SBOM check of an authenticated package: the SBOM it carries is the one its manifest
 * names, is CycloneDX 1.5 or later, describes this module (the described component's SHA-256 is
 * the module's), and lists no component the OEM's known-vulnerable list refuses; a package without
 * one passes unless the OEM's policy requires it. The result names the components and the flagged ones.
 */
public final class SbomCheck {
    /** What the check found: the SBOM read, if the package carried one, and the flagged components. */
    public record Result(Optional<Sbom> sbom, List<VulnerableComponents.Match> flagged, String detail) {
    }

    private final OemPolicy policy;
    private final VulnerableComponents vulnerable;

    public SbomCheck(OemPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.vulnerable = policy.vulnerableComponents().map(VulnerableComponents::load).orElse(VulnerableComponents.none());
    }

    /** Checks {@code pkg}, whose manifest {@code m} was authenticated. */
    public Result check(Manifest m, ModulePackage pkg) {
        Optional<byte[]> bytes = pkg.sbom();
        if (bytes.isEmpty()) {
            if (policy.sbomRequired()) {
                throw new RejectedException(SbomFailure.MISSING_SBOM, m.sbomSha256().isPresent()
                        ? "the manifest names an SBOM (sha256 " + m.sbomSha256().get() + ") the package does not carry;"
                        + " the OEM's policy requires one" : "the package carries no SBOM; the OEM's policy requires one"
                        + " (ota supplier package --sbom FILE)");
            }
            return new Result(Optional.empty(), List.of(), "no SBOM in the package (not required by the OEM's policy)");
        }
        PackageVerifier.checkSbom(m, bytes);
        Sbom sbom = Sbom.read(bytes.get());
        Optional<String> described = sbom.subject().sha256();
        if (described.isEmpty() || !described.get().equals(m.wasmSha256())) {
            throw new RejectedException(SbomFailure.SBOM_OTHER_MODULE, "the SBOM describes " + sbom.subject().label()
                    + (described.map(d -> " with SHA-256 " + d).orElse(" without a SHA-256 hash")) + ", not module "
                    + m.moduleId() + "@" + m.version() + " (" + m.wasmSha256() + ")");
        }
        List<VulnerableComponents.Match> matches = vulnerable.matches(sbom);
        List<VulnerableComponents.Match> refused = matches.stream()
                .filter(x -> x.entry().action() == VulnerableComponents.Action.REFUSE).toList();
        if (!refused.isEmpty()) {
            throw new RejectedException(SbomFailure.VULNERABLE_COMPONENT, "known-vulnerable component"
                    + (refused.size() > 1 ? "s " : " ") + names(refused) + " in the SBOM");
        }
        String detail = "CycloneDX " + sbom.specVersion() + " describes " + sbom.subject().label() + " with the module's"
                + " SHA-256; " + sbom.components().size() + " components: "
                + sbom.components().stream().map(Sbom.Part::label).limit(50).collect(Collectors.joining(", "))
                + (sbom.components().size() > 50 ? ", ..." : "")
                + (policy.vulnerableComponents().isPresent() ? "; checked against " + vulnerable.size()
                + " known-vulnerable entries" + (matches.isEmpty() ? ", none listed" : ", flagged: " + names(matches)) : "");
        return new Result(Optional.of(sbom), matches, detail);
    }

    private static String names(List<VulnerableComponents.Match> ms) {
        return ms.stream().map(VulnerableComponents.Match::describe).collect(Collectors.joining(", "));
    }
}
