package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.audit.VehicleLogVerifier;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ota oem evidence verify --vehicle VIN FILE}: a vehicle's audit log against the OEM's anchors of it. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks a vehicle's audit log against the OEM's anchors of it.",
                "%nFILE is vehicle VIN's audit log (its STATE/audit.log); the anchors are the heads of it the OEM"
                        + " kept, one from each signed status report it took in.",
                "%nThe log must verify as a chain and hold, at each anchored seq, the record with the anchored hash;"
                        + " names the first record missing or changed (or, between two anchors, the seqs it lies in)."
                        + " Exit 3 when it was edited, cut or rewritten (CHAIN_BROKEN, LOG_BEHIND_ANCHOR,"
                        + " LOG_HEAD_MISMATCH); 4 when the OEM holds no anchor of VIN (NO_ANCHORS).",
                "%nWorks while oem serve workers run.%n"})
final class EvidenceVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OemOptions oem;

    @Option(names = "--vehicle", paramLabel = "VIN", description = "whose audit log FILE is")
    String vehicle;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vehicle's audit log")
    Path file;

    private final CliEnv env;

    EvidenceVerifyCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (vehicle == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--vehicle VIN is needed: whose anchors to check "
                    + file + " against");
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no vehicle audit log there");
        }
        try (CampaignWorkspace ws = oem.open(env, "cli")) {
            List<VehicleLogVerifier.LogAnchor> anchors = VehicleLogVerifier.held(ws.trail(), ws.campaigns().anchors(), vehicle);
            VehicleLogVerifier.Verdict v = VehicleLogVerifier.verify(file, anchors).orThrow();
            spec.commandLine().getOut().println("vehicle " + vehicle + "'s log " + file + " matches the OEM's anchors: "
                    + v.summary());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
