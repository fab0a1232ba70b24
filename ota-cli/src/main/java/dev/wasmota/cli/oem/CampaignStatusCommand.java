package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.CampaignStatus;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.StatusTable;
import dev.wasmota.cli.CliEnv;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem campaign status}: the readable table of one campaign, or a line per campaign. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints where campaigns stand, wave by wave.",
                "Without --campaign, one line per campaign. With it, the campaign's settings and one line per wave: "
                + "size, instructed, committed, failed (including self rollbacks and expiries), pending (not answered), "
                + "success and error rates in percent of the wave."})
public final class CampaignStatusCommand extends CampaignBaseCommand {
    @Option(names = "--campaign", paramLabel = "ID", description = "the campaign to show in detail")
    String campaign;

    public CampaignStatusCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        if (campaign != null) {
            out.print(StatusTable.detail(ws.campaigns().status(campaign)));
        } else {
            List<CampaignStatus> all = ws.campaigns().list().stream().map(k -> ws.campaigns().status(k.id())).toList();
            out.print(StatusTable.overview(all));
        }
        out.flush();
        return 0;
    }
}
