package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.cli.CliEnv;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem campaign pause}: holds a running campaign's next wave. */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = {"Pauses a running campaign so that no new wave starts.",
                "Statuses are still counted, and the stop threshold still applies; resume releases the next wave."})
public final class CampaignPauseCommand extends CampaignBaseCommand {
    @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign")
    String campaign;

    public CampaignPauseCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        Campaign k = ws.campaigns().pause(campaign);
        printState(out, "paused", ws, k);
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        return act(client, out, campaign, "pause", "paused");
    }
}
