package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.audit.VehicleLogVerifier;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.evidence.EvidenceBundle;
import dev.wasmota.oem.evidence.EvidenceFailure;
import dev.wasmota.signing.pki.TrustStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ota oem evidence verify}: a campaign's evidence bundle checked offline ({@code verify DIR}),
 * or a vehicle's audit log against the OEM's anchors of it ({@code verify --oem DIR --vehicle VIN FILE}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks an evidence bundle, or a vehicle's log against its anchors.",
                "%nverify DIR [--trust DIR]: DIR is a bundle (ota oem evidence export), checked offline: the OEM's"
                        + " signature over " + EvidenceBundle.MANIFEST + " (the campaign key, chaining to the OEM root),"
                        + " every file's SHA-256 and length, no file unlisted, the release's supplier signature and OEM"
                        + " countersignature and its SBOM, the update record's V&V evidence, each OEM audit record's hash,"
                        + " and the vehicles' log anchors against the status records that carried them. Each problem on"
                        + " its own line; exit 3. Without --trust the bundle's own OEM root is used: compare the root"
                        + " SHA-256 printed with the OEM's.",
                "%nverify --oem DIR --vehicle VIN FILE: FILE is vehicle VIN's audit log (its STATE/audit.log); the"
                        + " anchors are the heads of it the OEM kept, one from each signed status report it took in."
                        + " The log must verify as a chain and hold, at each anchored seq, the record with the anchored"
                        + " hash; names the first record missing or changed (or, between two anchors, the seqs it lies in)."
                        + " Exit 3 when it was edited, cut or rewritten (CHAIN_BROKEN, LOG_BEHIND_ANCHOR,"
                        + " LOG_HEAD_MISMATCH); 4 when the OEM holds no anchor of VIN (NO_ANCHORS). Works while oem serve"
                        + " workers run.%n"})
final class EvidenceVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--oem", paramLabel = "DIR", description = "with --vehicle: the OEM directory (ota oem init)")
    Path oemDir;

    @Option(names = "--db", paramLabel = "URL", description = "with --vehicle: the OEM database's JDBC URL (default: the"
            + " H2 file in DIR/campaigns)")
    String dbUrl;

    @Option(names = "--vehicle", paramLabel = "VIN", description = "whose audit log FILE is")
    String vehicle;

    @Option(names = "--trust", paramLabel = "DIR", description = "for a bundle: the OEM's vehicle-trust directory, whose"
            + " root is trusted")
    Path trust;

    @Parameters(index = "0", paramLabel = "DIR|FILE", description = "an evidence bundle, or with --vehicle the vehicle's audit log")
    Path path;

    private final CliEnv env;

    EvidenceVerifyCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (vehicle == null && oemDir == null && Files.isDirectory(path)) {
            return bundle();
        }
        if (vehicle == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--vehicle VIN is needed: whose anchors to check "
                    + path + " against (or give an evidence bundle's directory alone)");
        }
        if (oemDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--vehicle takes --oem DIR: the OEM whose anchors to use");
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no vehicle audit log there");
        }
        try (CampaignWorkspace ws = CampaignWorkspace.open(oemDir, Optional.ofNullable(dbUrl), env.clock(), env.random(),
                "cli")) {
            List<VehicleLogVerifier.LogAnchor> anchors = VehicleLogVerifier.held(ws.trail(), ws.campaigns().anchors(), vehicle);
            VehicleLogVerifier.Verdict v = VehicleLogVerifier.verify(path, anchors).orThrow();
            spec.commandLine().getOut().println("vehicle " + vehicle + "'s log " + path + " matches the OEM's anchors: "
                    + v.summary());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    private int bundle() throws Exception {
        Optional<TrustStore> root = trust == null ? Optional.empty() : Optional.of(TrustStore.load(trust));
        EvidenceBundle.Result r = EvidenceBundle.verify(path, root);
        PrintWriter out = spec.commandLine().getOut();
        if (!r.ok()) {
            r.problems().forEach(p -> out.println("  inconsistent: " + p));
            out.flush();
            throw new RejectedException(EvidenceFailure.INCONSISTENT_EVIDENCE, "evidence of campaign " + r.campaign()
                    + " does not verify: " + r.problems().size() + " problem(s), first: " + r.problems().get(0));
        }
        out.printf("evidence of campaign %s verifies: %d files, signed by %s; OEM root sha256 %s%s%n", r.campaign(),
                r.files(), r.signer(), r.rootSha256(), trust == null ? " (the bundle's own: compare it with the OEM's)" : "");
        out.flush();
        return 0;
    }
}
