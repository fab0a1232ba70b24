package dev.wasmota.oem.api;

import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.signing.pki.TrustStore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the management API serves: the OEM database, its releases and audit trail, and the
 * campaign service acting as a given caller (so each change's audit record names who made it), and
 * the OEM's trust store with the revocations in force (a revoked operator is refused).
 */
public record ApiBackend(CampaignDatabase db, ReleaseStore releases, OemAuditTrail trail,
                         Function<String, CampaignService> campaignsAs, Supplier<TrustStore> trust) {
    /** The OEM as a command or worker opened it. */
    public static ApiBackend of(CampaignWorkspace ws) {
        return new ApiBackend(ws.database(), ws.releases(), ws.trail(), ws::campaignsAs, ws.pki()::trustStore);
    }
}
