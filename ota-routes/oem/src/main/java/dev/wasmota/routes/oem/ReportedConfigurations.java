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
 * one (a vehicle of an earlier version, a thin simulated vehicle) changes nothing. Also keeps what
 * a report the campaign accepted states of the instruction's user notice (shown when, the outcome
 * told after).
 */
final class ReportedConfigurations {
    private ReportedConfigurations() {
    }

    /** What the report states of its instruction's user notice; call once the campaign has taken the report in. */
    static void takeNotice(CampaignService campaigns, StatusReport r) {
        r.notice().ifPresent(n -> campaigns.notices().take(r.campaignId(), new dev.wasmota.oem.record.CampaignNotices
                .Reported(r.vehicleId(), r.instructionId(), n.shownAt(), n.outcome(), r.reportedAt())));
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
