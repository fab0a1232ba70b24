package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import java.io.PrintWriter;

/** The vehicles a campaign's start left out (issue 17), one line each with its reason, as start and status print them. */
final class ExcludedVehicles {
    private ExcludedVehicles() {
    }

    static void print(PrintWriter out, CampaignWorkspace ws, String campaignId) {
        for (Action a : ws.campaigns().actions(campaignId)) {
            if (a.status() == Action.Status.EXCLUDED) {
                out.printf("excluded  %s: %s%n", a.vehicleId(), a.detail().orElse("incompatible"));
            }
        }
    }
}
