package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.cli.CliEnv;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem campaign abort}: ends a campaign without issuing anything more. */
@Command(name = "abort", mixinStandardHelpOptions = true,
        description = {"Aborts a campaign so that nothing more is issued.",
                "Instructions already sent stay valid until they expire; their statuses are still recorded. "
                + "A campaign can be rolled back after it was aborted."})
public final class CampaignAbortCommand extends CampaignBaseCommand {
    @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign")
    String campaign;

    public CampaignAbortCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        Campaign k = ws.campaigns().abort(campaign);
        printState(out, "aborted", ws, k);
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        return act(client, out, campaign, "abort", "aborted");
    }
}
