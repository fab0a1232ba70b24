package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.WaveCounts;
import dev.wasmota.cli.CliEnv;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem campaign rollback}: sends every vehicle that committed back to the previous release. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Sends every vehicle that committed back to the previous release.",
                "Each gets a new signed instruction (its next counter) naming the previous release's package. "
                + "The previous release is the module's release just below this one (next lower security version). "
                + "No new wave starts; a vehicle whose commit is reported later is sent back too."})
public final class CampaignRollbackCommand extends CampaignBaseCommand {
    @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign")
    String campaign;

    public CampaignRollbackCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        Campaign k = ws.campaigns().rollback(campaign);
        int sent = ws.campaigns().status(k.id()).rollback().map(WaveCounts::instructed).orElse(0);
        out.printf("rolled back campaign %s to %s: %d rollback instructions issued to the vehicles that committed %s%n",
                k.id(), k.rollbackTo().orElseThrow(), sent, k.release());
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        return act(client, out, campaign, "rollback", "rolled back");
    }
}
