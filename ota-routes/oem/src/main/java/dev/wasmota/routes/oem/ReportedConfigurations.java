package dev.wasmota.routes.oem;

import dev.wasmota.oem.record.CampaignNotices;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.VehicleConfiguration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a vehicle's verified, signed status report states of its configuration (its RXSWIN, each
 * module's version and digest; issue 17), which the OEM keeps as its last known configuration and
 * the start of the next campaign checks the release against ({@code oem.rxswin.Compatibility}),
 * and of the instruction's user notice (shown when, the outcome told after). Both go with the
 * report into the status batch's transaction ({@code CampaignService.reportStatuses}), kept in
 * the report's savepoint if the campaign counts it. A report without them (a vehicle of an earlier
 * version, a thin simulated vehicle) states nothing.
 */
final class ReportedConfigurations {
    private ReportedConfigurations() {
    }

    /** What the report states of its instruction's user notice. */
    static Optional<CampaignNotices.Reported> notice(StatusReport r) {
        return r.notice().map(n -> new CampaignNotices.Reported(r.vehicleId(), r.instructionId(), n.shownAt(), n.outcome(),
                r.reportedAt()));
    }

    /** The vehicle's configuration the report states. */
    static Optional<ReportedConfiguration> configuration(StatusReport r) {
        if (r.configuration().isEmpty()) {
            return Optional.empty();
        }
        VehicleConfiguration v = r.configuration().get();
        SortedMap<String, ReportedConfiguration.Module> modules = new TreeMap<>();
        v.modules().forEach((id, m) -> modules.put(id, new ReportedConfiguration.Module(m.version(), m.packageSha256())));
        return Optional.of(new ReportedConfiguration(r.vehicleId(), v.rxswin(), modules, r.instructionId(), r.reportedAt()));
    }
}
