package dev.wasmota.routes.oem;

import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.VehicleConfiguration;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Keeps the configuration a vehicle's verified, signed status report states (its RXSWIN, each
 * module's version and digest; issue 17) as its last known configuration, which the start of the
 * next campaign checks the release against ({@code oem.rxswin.Compatibility}). A report without
 * one (a vehicle of an earlier version, a thin simulated vehicle) changes nothing.
 */
final class ReportedConfigurations {
    private ReportedConfigurations() {
    }

    static void take(CampaignService campaigns, StatusReport r) {
        if (r.configuration().isEmpty()) {
            return;
        }
        VehicleConfiguration v = r.configuration().get();
        SortedMap<String, ReportedConfiguration.Module> modules = new TreeMap<>();
        v.modules().forEach((id, m) -> modules.put(id, new ReportedConfiguration.Module(m.version(), m.packageSha256())));
        campaigns.rxswin().take(new ReportedConfiguration(r.vehicleId(), v.rxswin(), modules, r.instructionId(),
                r.reportedAt()));
    }
}
