package dev.wasmota.oem.campaign;

import dev.wasmota.oem.release.Release;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a {@link CampaignSpec} into a stored campaign inside one transaction: resolves the
 * targets to registered vehicles, checks each runs the release's hardware and is in no unfinished
 * campaign, splits them into waves, and records the campaign, its waves and one pending action
 * per vehicle.
 */
final class CampaignPlanner {
    private static final int MAX_NAMED = 5;

    private CampaignPlanner() {
    }

    static Campaign plan(Connection c, CampaignSpec spec, String id, Release release, Manifest manifest, Instant now)
            throws SQLException {
        if (CampaignRows.find(c, id, false).isPresent()) {
            throw new RejectedException(CampaignFailure.DUPLICATE_CAMPAIGN, "campaign " + id + " already exists");
        }
        List<Vehicle> vehicles = resolve(c, spec.targets());
        checkHardware(vehicles, manifest);
        Set<String> busy = ActionRows.busy(c, vehicles.stream().map(Vehicle::id).toList());
        if (!busy.isEmpty()) {
            throw new RejectedException(CampaignFailure.VEHICLE_BUSY, "already in an unfinished campaign: " + names(busy)
                    + "; abort or finish it first (instruction counters must reach each vehicle in order)");
        }
        List<WavePlan.Slice> slices;
        try {
            slices = spec.waves().resolve(vehicles.size());
        } catch (IllegalArgumentException e) {
            throw new RejectedException(CampaignFailure.INVALID_CAMPAIGN, e.getMessage());
        }
        Campaign k = new Campaign(id, spec.release(), release.securityVersion(), release.packageSha256(),
                release.wasmSha256(), spec.targets(), spec.waves(), spec.advanceAt(), spec.stopAt(), spec.validity(),
                spec.hold(), Campaign.State.CREATED, 0, slices.size(), Optional.empty(), Optional.empty(), now, now);
        CampaignRows.insert(c, k);
        int position = 0;
        WaveCounters.Tally tally = new WaveCounters.Tally(); // the counters move once per wave, not once per vehicle
        for (int w = 0; w < slices.size(); w++) {
            CampaignRows.insertWave(c, id, w + 1, slices.get(w).step());
            for (int i = 0; i < slices.get(w).size(); i++) {
                ActionRows.insert(c, id, vehicles.get(position).id(), Action.Kind.INSTALL, w + 1, position, now, tally);
                position++;
            }
        }
        tally.flush(c);
        if (position >= CampaignDatabase.ANALYZE_AFTER_ROWS) {
            CampaignDatabase.analyze(c, "campaign_action");
        }
        return CampaignRows.find(c, id, false).orElseThrow();
    }

    private static List<Vehicle> resolve(Connection c, Targets targets) throws SQLException {
        if (targets.hardwareId().isPresent()) {
            List<Vehicle> found = VehicleRegistry.withHardware(c, targets.hardwareId().get());
            if (found.isEmpty()) {
                throw new RejectedException(CampaignFailure.INVALID_CAMPAIGN,
                        "no registered vehicle has hardware " + targets.hardwareId().get());
            }
            return found;
        }
        List<Vehicle> found = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        for (String id : targets.vehicleIds()) {
            VehicleRegistry.find(c, id, false).ifPresentOrElse(found::add, () -> unknown.add(id));
        }
        if (!unknown.isEmpty()) {
            throw new RejectedException(CampaignFailure.UNKNOWN_VEHICLE, unknown.size() + " vehicles not registered: "
                    + names(unknown) + " (ota oem vehicle register --id V --hardware H)");
        }
        return found;
    }

    private static void checkHardware(List<Vehicle> vehicles, Manifest manifest) {
        Set<String> wrong = new TreeSet<>();
        for (Vehicle v : vehicles) {
            if (!manifest.runsOn(v.hardwareId())) {
                wrong.add(v.id() + " (" + v.hardwareId() + ")");
            }
        }
        if (!wrong.isEmpty()) {
            throw new RejectedException(CampaignFailure.HARDWARE_MISMATCH, manifest.moduleId() + " " + manifest.version()
                    + " runs on " + manifest.hardwareIds() + ", not on " + names(wrong));
        }
    }

    private static String names(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        String shown = String.join(", ", list.subList(0, Math.min(MAX_NAMED, list.size())));
        return list.size() > MAX_NAMED ? shown + " and " + (list.size() - MAX_NAMED) + " more" : shown;
    }
}
