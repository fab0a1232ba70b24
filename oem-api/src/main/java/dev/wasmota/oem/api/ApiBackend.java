package dev.wasmota.oem.api;

import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.release.ReleaseStore;
import java.util.function.Function;

/**
 * What the management API serves: the OEM database, its releases and audit trail, and the
 * campaign service acting as a given caller (so each change's audit record names who made it).
 */
public record ApiBackend(CampaignDatabase db, ReleaseStore releases, OemAuditTrail trail,
                         Function<String, CampaignService> campaignsAs) {
    /** The OEM as a command or worker opened it. */
    public static ApiBackend of(CampaignWorkspace ws) {
        return new ApiBackend(ws.database(), ws.releases(), ws.trail(), ws::campaignsAs);
    }
}
