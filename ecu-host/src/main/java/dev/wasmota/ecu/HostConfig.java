package dev.wasmota.ecu;

import dev.wasmota.contract.config.Problems;

import dev.wasmota.ecu.sandbox.CompileBudget;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.ecu.sandbox.FaultWindow;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.Realtime;
import dev.wasmota.ecu.slots.StepHook;
import dev.wasmota.signing.manifest.ResourceCaps;
import dev.wasmota.signing.pki.TrustStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one ECU host runs: where its state lives, what it trusts, who it is, its own limits, and
 * the injected clock, buses, meters and crash hook. Built with defaults; {@link Builder#build()}
 * reports every problem at once.
 *
 * @param stateDir the A/B slots, the audit log and the identity
 * @param trust the provisioned trust anchors
 * @param identity this ECU's hardware and vehicle id, if provisioned
 * @param hostMemoryPages the host's own cap on any module's memory (pages of 64 KiB)
 * @param resourceCeilings the most any module's manifest may cap besides memory (tables and their
 *     elements, globals, segments); a manifest asking more is refused
 * @param faultThreshold faults within {@code faultWindow} that trigger an automatic rollback
 * @param faultWindow the sliding window for {@code faultThreshold}
 * @param clock wall clock for certificates, audit records and fault windows
 * @param environment the CAN and I2C buses, monotonic clock and log the modules see
 * @param compiledModules compiled modules shared by every host in this process
 * @param meters where per-module meters go
 * @param stepHook called at each named install step (crash tests)
 * @param compileBudget how long compiling a module may take, by its size
 * @param realtime the scheduling of the running modules' workers and the watchdog ({@code ecu run --realtime})
 */
public record HostConfig(
        Path stateDir,
        TrustStore trust,
        Optional<HostIdentity> identity,
        int hostMemoryPages,
        ResourceCaps resourceCeilings,
        int faultThreshold,
        Duration faultWindow,
        Clock clock,
        HostEnvironment environment,
        CompiledModuleCache compiledModules,
        MeterRegistry meters,
        StepHook stepHook,
        CompileBudget compileBudget,
        Realtime realtime) {

    /** The host's default cap on a module's memory: 256 pages, 16 MiB. */
    public static final int DEFAULT_HOST_MEMORY_PAGES = 256;

    public static Builder builder(Path stateDir, TrustStore trust) {
        return new Builder(stateDir, trust);
    }

    /** A new fault window with this host's settings. */
    public FaultWindow newFaultWindow() {
        return new FaultWindow(faultThreshold, faultWindow, clock);
    }

    /**
     * Builder with defaults: 256 pages, the default resource ceilings, 3 faults in 5 minutes, system
     * clock, simulated buses, compiling within 5 s + 20 s per MiB.
     */
    public static final class Builder {
        private final Path stateDir;
        private final TrustStore trust;
        private Optional<HostIdentity> identity = Optional.empty();
        private int hostMemoryPages = DEFAULT_HOST_MEMORY_PAGES;
        private ResourceCaps resourceCeilings = ResourceCaps.DEFAULT_CEILINGS;
        private int faultThreshold = FaultWindow.DEFAULT_THRESHOLD;
        private Duration faultWindow = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();
        private HostEnvironment environment;
        private CompiledModuleCache compiledModules;
        private MeterRegistry meters;
        private StepHook stepHook = StepHook.NONE;
        private CompileBudget compileBudget = CompileBudget.DEFAULT;
        private Realtime realtime = Realtime.OFF;

        private Builder(Path stateDir, TrustStore trust) {
            this.stateDir = stateDir;
            this.trust = trust;
        }

        public Builder identity(HostIdentity value) {
            this.identity = Optional.ofNullable(value);
            return this;
        }

        public Builder hostMemoryPages(int value) {
            this.hostMemoryPages = value;
            return this;
        }

        /** Default {@link ResourceCaps#DEFAULT_CEILINGS}. */
        public Builder resourceCeilings(ResourceCaps value) {
            this.resourceCeilings = value;
            return this;
        }

        public Builder faultWindow(int threshold, Duration window) {
            this.faultThreshold = threshold;
            this.faultWindow = window;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder environment(HostEnvironment value) {
            this.environment = value;
            return this;
        }

        public Builder compiledModules(CompiledModuleCache value) {
            this.compiledModules = value;
            return this;
        }

        public Builder meters(MeterRegistry value) {
            this.meters = value;
            return this;
        }

        public Builder stepHook(StepHook value) {
            this.stepHook = value;
            return this;
        }

        public Builder compileBudget(CompileBudget value) {
            this.compileBudget = value;
            return this;
        }

        /** The running modules' workers and the watchdog on {@code SCHED_FIFO}; default {@link Realtime#OFF}. */
        public Builder realtime(Realtime value) {
            this.realtime = Objects.requireNonNull(value, "realtime");
            return this;
        }

        public HostConfig build() {
            Problems.of("host configuration")
                    .check(stateDir != null, "no state directory")
                    .check(trust != null, "no trust anchors")
                    .check(hostMemoryPages >= 1 && hostMemoryPages <= 65536,
                            "host memory limit " + hostMemoryPages + " pages is outside 1..65536")
                    .check(resourceCeilings != null, "no resource ceilings")
                    .check(faultThreshold >= 1, "fault threshold " + faultThreshold + " is below 1")
                    .check(!(faultWindow == null || faultWindow.isNegative() || faultWindow.isZero()),
                            "fault window must be positive")
                    .check(compileBudget != null, "no compile budget")
                    .orThrow();
            return new HostConfig(stateDir, trust, identity, hostMemoryPages, resourceCeilings, faultThreshold, faultWindow,
                    Objects.requireNonNull(clock), environment != null ? environment : HostEnvironment.simulated(),
                    compiledModules != null ? compiledModules : new CompiledModuleCache(),
                    meters != null ? meters : new SimpleMeterRegistry(), stepHook, compileBudget, realtime);
        }
    }
}
