package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.cli.CliEnv;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem campaign start}: issues the first wave of a created campaign. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Starts a campaign by issuing its first wave of instructions.",
                "Each instruction carries the vehicle's next counter and expires after the campaign's validity; "
                + "it is written to DIR/outbox/<vehicle>/<counter>-<instruction>.wotains, the package to "
                + "DIR/outbox/packages/<sha256>.wotapkg.",
                "Each vehicle whose last signed configuration does not fit the release (its RXSWIN is not the one the"
                + " release changes from, or a module the release requires is missing or older; ota oem rxswin) is left"
                + " out and named with its reason on an 'excluded' line; the campaign proceeds without it. If no vehicle"
                + " fits, it does not start (NO_COMPATIBLE_VEHICLE, exit 4)."})
public final class CampaignStartCommand extends CampaignBaseCommand {
    @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign")
    String campaign;

    public CampaignStartCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        Campaign k = ws.campaigns().start(campaign);
        printState(out, "started", ws, k);
        ExcludedVehicles.print(out, ws, k.id());
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        return act(client, out, campaign, "start", "started");
    }
}
