package dev.wasmota.oem.rxswin;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignService;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Before a campaign starts, each target vehicle's last known configuration (its last signed status
 * report, {@link RxswinRegister#take}) against the release's stated RXSWIN change
 * ({@link RxswinChange}): a release that changes the RXSWIN fits only a vehicle that runs its
 * "from" RXSWIN (the one it reports, or, if it reports none, the register's entry for its hardware
 * id that its module versions match exactly), and every module the release requires must run at
 * its version or later. A release with no stated change is not checked (releases before issue 17);
 * one that changes none fits any vehicle whose modules meet its requirements. A vehicle the check
 * cannot judge (no configuration reported yet) is left out with that reason: the OEM does not
 * guess a configuration it must answer for. The campaign's configurations are read in one query,
 * the register once per hardware id.
 */
public final class Compatibility implements CampaignService.TargetCheck {
    @Override
    public Map<String, String> incompatible(Connection c, Campaign k, List<String> vehicles) throws SQLException {
        Optional<RxswinChange> change = RxswinRegister.change(c, k.release());
        Map<String, String> out = new LinkedHashMap<>();
        if (change.isEmpty() || (!change.get().changes() && change.get().requires().isEmpty())) {
            return out;
        }
        Map<String, ReportedConfiguration> configs = new HashMap<>();
        Map<String, String> hardware = RxswinRegister.hardwareOfInstalls(c, k.id(), configs);
        Map<String, List<Rxswin>> register = new HashMap<>();
        for (String v : vehicles) {
            String hw = hardware.get(v);
            List<Rxswin> entries = hw == null ? List.of() : register.computeIfAbsent(hw, h -> {
                try {
                    return RxswinRegister.forHardware(c, h);
                } catch (SQLException e) {
                    throw new IllegalStateException("RXSWIN register: " + e.getMessage(), e);
                }
            });
            reason(Optional.ofNullable(configs.get(v)), entries, change.get()).ifPresent(r -> out.put(v, r));
        }
        return out;
    }

    /** Why a vehicle of configuration {@code config} (and register {@code entries} of its hardware) does not fit. */
    static Optional<String> reason(Optional<ReportedConfiguration> config, List<Rxswin> entries, RxswinChange change) {
        if (config.isEmpty()) {
            return Optional.of("no signed configuration reported yet: its RXSWIN and module versions are unknown");
        }
        if (change.changes()) {
            Optional<String> running = config.get().rxswin();
            String how = "reports";
            if (running.isEmpty()) {
                Map<String, String> versions = config.get().versions();
                List<Rxswin> matching = entries.stream().filter(r -> r.matches(versions)).toList();
                running = matching.size() == 1 ? Optional.of(matching.get(0).id()) : Optional.empty();
                how = "runs (by the register)";
            }
            if (running.isEmpty()) {
                return Optional.of("reports no RXSWIN and its modules " + config.get().versions()
                        + " match no RXSWIN in the register for its hardware; the release changes " + change.summary());
            }
            if (!running.get().equals(change.from().get())) {
                return Optional.of("RXSWIN mismatch: the vehicle " + how + " " + running.get() + "; the release changes "
                        + change.summary());
            }
        }
        for (Requirement r : change.requires()) {
            ReportedConfiguration.Module m = config.get().modules().get(r.moduleId());
            Optional<String> unmet = r.unmetBy(Optional.ofNullable(m).map(ReportedConfiguration.Module::version));
            if (unmet.isPresent()) {
                return unmet;
            }
        }
        return Optional.empty();
    }
}
