package dev.wasmota.cli.oem;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.evidence.EvidenceBundle;
import dev.wasmota.oem.evidence.EvidenceFailure;
import dev.wasmota.signing.pki.TrustStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ota oem evidence verify DIR}: checks an evidence bundle offline. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks an evidence bundle offline and names what is inconsistent.",
                "Checks the OEM's signature over " + EvidenceBundle.MANIFEST + " (the campaign key, chaining to the OEM root), "
                + "every file's SHA-256 and length, no file unlisted, the release's supplier signature and OEM "
                + "countersignature and its SBOM, the update record's V&V evidence, each OEM audit record's hash, and the "
                + "vehicles' log anchors against the status records that carried them. Exit 3 when anything does not "
                + "hold, each problem on its own line.",
                "Without --trust the bundle's own OEM root is used: compare the root SHA-256 printed with the OEM's."})
public final class EvidenceVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the bundle (ota oem evidence export)")
    Path dir;

    @Option(names = "--trust", paramLabel = "DIR", description = "the OEM's vehicle-trust directory, whose root is trusted")
    Path trust;

    @Override
    public Integer call() throws Exception {
        Optional<TrustStore> root = trust == null ? Optional.empty() : Optional.of(TrustStore.load(trust));
        EvidenceBundle.Result r = EvidenceBundle.verify(dir, root);
        PrintWriter out = spec.commandLine().getOut();
        if (!r.ok()) {
            r.problems().forEach(p -> out.println("  inconsistent: " + p));
            out.flush();
            throw new RejectedException(EvidenceFailure.INCONSISTENT_EVIDENCE, "evidence of campaign " + r.campaign()
                    + " does not verify: " + r.problems().size() + " problem(s), first: " + r.problems().get(0));
        }
        out.printf("evidence of campaign %s verifies: %d files, signed by %s; OEM root sha256 %s%s%n", r.campaign(),
                r.files(), r.signer(), r.rootSha256(), trust == null ? " (the bundle's own: compare it with the OEM's)" : "");
        return 0;
    }
}
