package dev.wasmota.routes.oem;

import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.FleetSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The fleet and campaign gauges, from a {@link FleetSnapshot} the worker counts on its timer
 * ({@code ota.metrics.refreshMillis}) rather than at each scrape, so a scrape never waits on the
 * database. Every label value is registered at zero from the start: vehicles by state and by when
 * they last reported, campaigns by state, and the actions of the campaigns not finished by status.
 */
public final class FleetMeters {
    public static final String VEHICLES = "ota.fleet.vehicles";
    public static final String SEEN = "ota.fleet.vehicles.seen";
    public static final String CAMPAIGNS = "ota.campaigns";
    public static final String ACTIONS = "ota.campaign.actions";
    /** Security events (UN R155 monitoring) by kind, for the fleet. */
    public static final String SECURITY = "ota.security.events";
    /** Security events by vehicle and kind (only vehicles that had one). */
    public static final String SECURITY_BY_VEHICLE = "ota.security.events.vehicle";

    private final CampaignDatabase db;
    private final Clock clock;
    private static final System.Logger LOG = System.getLogger(FleetMeters.class.getName());
    private final AtomicReference<FleetSnapshot> last = new AtomicReference<>();
    private volatile boolean failing;
    private final dev.wasmota.oem.evidence.SecurityEventCounter security;
    private final io.micrometer.core.instrument.MultiGauge securityFleet;
    private final io.micrometer.core.instrument.MultiGauge securityVehicles;

    public FleetMeters(CampaignDatabase db, Clock clock, MeterRegistry registry) {
        this.db = db;
        this.clock = clock;
        this.security = new dev.wasmota.oem.evidence.SecurityEventCounter(db);
        this.securityFleet = io.micrometer.core.instrument.MultiGauge.builder(SECURITY)
                .description("security events in the OEM's audit trail by kind (refusals, dead letters, SECURITY_EVENT)")
                .register(registry);
        this.securityVehicles = io.micrometer.core.instrument.MultiGauge.builder(SECURITY_BY_VEHICLE)
                .description("security events in the OEM's audit trail by vehicle and kind").register(registry);
        for (String state : FleetSnapshot.VEHICLE_STATES) {
            gauge(registry, VEHICLES, "registered vehicles by the state of their latest campaign action (IDLE: none)",
                    "state", state, s -> s.vehiclesByState().get(state));
        }
        for (String within : FleetSnapshot.SEEN) {
            gauge(registry, SEEN, "registered vehicles by when the OEM last counted a status report from them",
                    "within", within, s -> s.vehiclesBySeen().get(within));
        }
        for (Campaign.State state : Campaign.State.values()) {
            gauge(registry, CAMPAIGNS, "campaigns by state", "state", state.name(), s -> s.campaigns().get(state));
        }
        for (Action.Status status : Action.Status.values()) {
            gauge(registry, ACTIONS, "actions of the campaigns not finished (created, running, paused) by status",
                    "status", status.name(), s -> s.activeActions().get(status));
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, String tag, String value,
                       Function<FleetSnapshot, Integer> read) {
        Gauge.builder(name, last, r -> {
            FleetSnapshot s = r.get();
            return s == null ? 0 : read.apply(s);
        }).description(description).tag(tag, value).register(registry);
    }

    /**
     * Counts the fleet again; the gauges show it from now on. A database that cannot answer keeps
     * the last counts (the worker's readiness says the database is unreachable) and is logged once
     * until it answers again.
     */
    public void refresh() {
        try {
            last.set(FleetSnapshot.read(db, clock.instant()));
            refreshSecurity();
            if (failing) {
                failing = false;
                LOG.log(System.Logger.Level.INFO, "fleet meters counted again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(System.Logger.Level.WARNING, "cannot count the fleet for the meters (keeping the last counts): " + e);
            }
        }
    }

    private void refreshSecurity() {
        while (security.refresh() == dev.wasmota.oem.evidence.SecurityEventCounter.BATCH) {
            // read on until the trail's end
        }
        java.util.List<io.micrometer.core.instrument.MultiGauge.Row<?>> fleetRows = new java.util.ArrayList<>();
        security.fleet().forEach((kind, n) -> fleetRows.add(io.micrometer.core.instrument.MultiGauge.Row.of(
                io.micrometer.core.instrument.Tags.of("kind", kind), n)));
        securityFleet.register(fleetRows, true);
        java.util.List<io.micrometer.core.instrument.MultiGauge.Row<?>> vehicleRows = new java.util.ArrayList<>();
        security.byVehicle().forEach((vehicle, kinds) -> kinds.forEach((kind, n) -> vehicleRows.add(
                io.micrometer.core.instrument.MultiGauge.Row.of(io.micrometer.core.instrument.Tags.of("vehicle", vehicle,
                        "kind", kind), n))));
        securityVehicles.register(vehicleRows, true);
    }

    /** The counts the gauges show, if any were taken yet. */
    public java.util.Optional<FleetSnapshot> last() {
        return java.util.Optional.ofNullable(last.get());
    }
}
