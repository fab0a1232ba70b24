package dev.wasmota.sim;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import dev.wasmota.routes.vehicle.PowerLoss;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.signing.pki.ClientKind;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One simulated vehicle: a real ECU host (its own state directory, slots and audit log) running
 * its modules on the simulated CAN bus fed by its drive cycle, on the pipeline through its own
 * MQTT sessions and key; and the faults it was drawn for.
 */
final class SimVehicle implements AutoCloseable {
    static final String HARDWARE = "ecu-a";
    static final Duration CLOCK_SKEW = Duration.ofMinutes(-10);
    static final Duration SLOW_LINK = Duration.ofSeconds(3);
    static final List<String> INSTALL_STEPS = List.of("install.verified", "install.compiled", "install.instantiated",
            "install.health-checked", "stage.package.renamed", "stage.written", "commit.temp-written", "commit.renamed",
            "install.instruction-recorded", "install.logged");
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    final String id;
    final Set<InjectedFault> faults;
    private final FleetContext fleet;
    private final long cycleOffset;
    private final int index;
    private final Clock clock;
    private final SimulatedCanBus can = new SimulatedCanBus();
    private final Credential credential;
    private final String powerLossStep;
    private final AtomicBoolean powerLossArmed;
    private volatile EcuHost host;
    private volatile VehicleNode node;
    private final Object lifecycle = new Object();

    SimVehicle(String id, int index, Set<InjectedFault> faults, FleetContext fleet, java.util.Random random) {
        this.id = id;
        this.faults = faults;
        this.fleet = fleet;
        this.index = index;
        this.cycleOffset = (index * 7_919L) % DriveCycle.CYCLE_MILLIS;
        this.clock = faults.contains(InjectedFault.CLOCK_SKEW) ? Clock.offset(fleet.clock(), CLOCK_SKEW) : fleet.clock();
        this.credential = fleet.pki().issueClient(ClientKind.VEHICLE, id);
        this.powerLossStep = INSTALL_STEPS.get(random.nextInt(INSTALL_STEPS.size()));
        this.powerLossArmed = new AtomicBoolean(faults.contains(InjectedFault.POWER_LOSS));
        if (faults.contains(InjectedFault.CLOCK_SKEW)) {
            fleet.events().fault(InjectedFault.CLOCK_SKEW, id, "clock " + CLOCK_SKEW.toMinutes() + " min off");
        }
        if (faults.contains(InjectedFault.SLOW_LINK)) {
            fleet.events().fault(InjectedFault.SLOW_LINK, id, "every update takes " + SLOW_LINK.toSeconds() + " s to arrive");
        }
    }

    /** Opens the host, starts its modules, connects. */
    void start() {
        synchronized (lifecycle) {
            safeExecution(fleet.dir().resolve("vehicles").resolve(id));
            host = EcuHost.open(HostConfig.builder(fleet.dir().resolve("vehicles").resolve(id), fleet.trust())
                    .identity(new HostIdentity(HARDWARE, id)).clock(clock)
                    .environment(HostEnvironment.simulated().withCan(can).withLog((module, line) -> { }))
                    .compiledModules(fleet.compiled()).stepHook(this::step).build(), QUIET);
            if (fleet.runModules()) {
                host.start();
            }
            connect();
        }
    }

    /**
     * A fleet directory holding {@code safe-execution.json} ({@code ota sim run --safe-execution})
     * gives each vehicle those preconditions: its updates activate only while it stands at a light.
     */
    private void safeExecution(java.nio.file.Path state) {
        java.nio.file.Path fleetWide = fleet.dir().resolve(dev.wasmota.ecu.safety.SafeExecution.FILE);
        if (java.nio.file.Files.isRegularFile(fleetWide)) {
            try {
                java.nio.file.Files.createDirectories(state);
                java.nio.file.Files.copy(fleetWide, state.resolve(dev.wasmota.ecu.safety.SafeExecution.FILE),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot give " + id + " its safe-execution preconditions", e);
            }
        }
    }

    private void connect() {
        node = VehicleNode.start(id, host, credential, fleet.mqtt(), fleet.properties(), clock, fleet.registry(),
                new VehicleNode.Options(Optional.of(fleet.camel().apply(index)),
                        faults.contains(InjectedFault.SLOW_LINK) ? SLOW_LINK : Duration.ZERO));
    }

    private void step(String step) {
        if (step.equals(powerLossStep) && powerLossArmed.compareAndSet(true, false)) {
            fleet.events().fault(InjectedFault.POWER_LOSS, id, "power lost at " + step + "; restarting");
            fleet.scheduler().schedule(this::reboot, 300, TimeUnit.MILLISECONDS);
            throw new PowerLoss(step);
        }
    }

    /** After a power loss: the connection drops without goodbye, the host restarts from disk (recovery), reconnects. */
    private void reboot() {
        synchronized (lifecycle) {
            try {
                node.dropConnection();
                host.close();
                start();
            } catch (RuntimeException e) {
                fleet.events().problem(id, "restart after power loss failed: " + e);
            }
        }
    }

    /** Drops off the network for {@code outage}, then reconnects; the broker keeps what arrives meanwhile. */
    void dropNetwork(Duration outage) {
        synchronized (lifecycle) {
            fleet.events().fault(InjectedFault.NETWORK_DROP, id, "offline for " + outage.toSeconds() + " s");
            node.dropConnection();
        }
        fleet.scheduler().schedule(() -> {
            synchronized (lifecycle) {
                try {
                    connect();
                } catch (RuntimeException e) {
                    fleet.events().problem(id, "reconnect failed: " + e);
                }
            }
        }, outage.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sets the CAN signals for {@code millis} into the run. */
    void drive(long millis) {
        can.set(DriveCycle.SPEED_CAN_ID, DriveCycle.speed(millis, cycleOffset));
        can.set(DriveCycle.VOLTAGE_CAN_ID, DriveCycle.SUPPLY_MILLIVOLTS);
    }

    /** The version of {@code moduleId} active on this vehicle, if any. */
    Optional<String> activeVersion(String moduleId) {
        return host.modules().stream().filter(m -> m.moduleId().equals(moduleId)).findFirst()
                .map(m -> m.activeMetadata().version());
    }

    /** Automatic rollbacks this host did, by module, since it last started. */
    Map<String, Long> rollbacks() {
        return host.rollbacks();
    }

    EcuHost host() {
        return host;
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (node != null) {
                node.close();
            }
            if (host != null) {
                host.close();
            }
        }
    }
}
