package dev.wasmota.cli.oem;

import dev.wasmota.signing.pki.TrustHierarchy;

import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.StatusReceipt;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pki.TrustStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code ota oem campaign report}: enters a vehicle's status for an instruction, as the status route would. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Records a vehicle's answer to an instruction.",
                "Then applies the wave rules. The instruction must be one the campaign issued to that vehicle, "
                + "with its nonce (exit 3 otherwise). "
                + "--instruction-file takes campaign, vehicle, instruction id and nonce from the signed instruction "
                + "the vehicle received. A repeated answer changes nothing; a late answer replaces an expiry; "
                + "rolled_back may follow committed."})
public final class CampaignReportCommand extends CampaignBaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Answered answered;

    @Option(names = "--result", required = true, paramLabel = "RESULT", description = "committed, failed or rolled_back")
    String result;

    @Option(names = "--detail", paramLabel = "TEXT", description = "the vehicle's one-line explanation")
    String detail;

    /** Which instruction is answered: named field by field, or by the instruction file itself. */
    static final class Answered {
        @ArgGroup(exclusive = false)
        Named named;

        @Option(names = "--instruction-file", required = true, paramLabel = "FILE",
                description = "the signed instruction (.wotains) the vehicle answers")
        Path file;
    }

    /** The instruction named field by field, as a vehicle's status message carries it. */
    static final class Named {
        @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign")
        String campaign;

        @Option(names = "--vehicle", required = true, paramLabel = "ID", description = "the vehicle reporting")
        String vehicle;

        @Option(names = "--instruction", required = true, paramLabel = "ID", description = "the instruction answered")
        String instruction;

        @Option(names = "--nonce", required = true, paramLabel = "N", description = "the instruction's nonce, echoed by the vehicle")
        String nonce;
    }

    public CampaignReportCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) throws Exception {
        Action.Status status = switch (result.toLowerCase(Locale.ROOT)) {
            case "committed" -> Action.Status.COMMITTED;
            case "failed" -> Action.Status.FAILED;
            case "rolled_back", "rolled-back" -> Action.Status.ROLLED_BACK;
            default -> throw new ParameterException(spec.commandLine(),
                    "--result '" + result + "' is not committed, failed or rolled_back");
        };
        Named n = answered.named != null ? answered.named : fromFile(answered.file);
        StatusReceipt r = ws.campaigns().reportStatus(n.vehicle, n.campaign, n.instruction, n.nonce, status, detail);
        out.printf("%s %s from vehicle %s for instruction %s; campaign %s is %s%n",
                r.duplicate() ? "repeated status" : "recorded", status, n.vehicle, n.instruction, n.campaign,
                r.campaignState());
        return 0;
    }

    private Named fromFile(Path file) throws Exception {
        byte[] bytes = CliFiles.readBounded(spec.commandLine(), file, SignedInstruction.MAX_FILE_BYTES, "instruction");
        Instruction i = SignedInstruction.open(bytes, TrustStore.load(oemDir.resolve(TrustHierarchy.TRUST_DIR)), env.clock());
        Named n = new Named();
        n.campaign = i.campaignId();
        n.vehicle = i.vehicleId();
        n.instruction = i.instructionId();
        n.nonce = i.nonce();
        return n;
    }
}
