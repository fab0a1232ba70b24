package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.cli.CliEnv;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem campaign resume}: lets a paused campaign go on. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Resumes a paused campaign and releases its next wave.",
                "The next wave starts once the current one has passed. A current wave that has every answer but "
                + "stayed below --advance-at is accepted by the resume (the operator's decision); the stop threshold "
                + "still applies."})
public final class CampaignResumeCommand extends CampaignBaseCommand {
    @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign")
    String campaign;

    public CampaignResumeCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        Campaign k = ws.campaigns().resume(campaign);
        printState(out, "resumed", ws, k);
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        return act(client, out, campaign, "resume", "resumed");
    }
}
