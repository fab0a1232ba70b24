package dev.wasmota.oem.intake;

import dev.wasmota.contract.config.Problems;

import dev.wasmota.ecu.HostConfig;
import dev.wasmota.audit.AuditTrail;
import dev.wasmota.ecu.sandbox.CompileBudget;
import dev.wasmota.ecu.sandbox.LogSink;
import dev.wasmota.signing.manifest.ResourceCaps;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How the intake judges a package: the timing margin, the length of the soak and the seed of its
 * CAN inputs, the host's memory cap, the clock, and where records, module log lines and progress
 * go. Built with defaults; {@link Builder#build()} reports every problem at once.
 *
 * @param marginPercent the worst call may take at most this share of the deadline (1..100)
 * @param soakTicks {@code tick()} calls in the soak (1..{@value #MAX_SOAK_TICKS})
 * @param seed seed of the soak's random CAN inputs; empty: derived from the module's digest, so
 *     the same module always gets the same inputs
 * @param maxCanIds most CAN ids the soak drives (the module's {@code can.read} ranges, from their low ends)
 * @param hostMemoryPages the vehicle host's own cap on module memory, in 64 KiB pages
 * @param resourceCeilings the vehicle hosts' ceilings on a manifest's other caps (tables, globals, segments)
 * @param recompile generate the bytecode a second time and require an equal digest (what the vehicle must reproduce)
 * @param clock certificate validity, signing time, report and audit times
 * @param audit the OEM's audit log; empty: nothing is recorded (tests, benchmarks of the checks alone)
 * @param moduleLog also receives the lines the module logs (the report keeps the first ones); must not block
 * @param listener hears each check start and end
 * @param compileBudget how long compiling may take by the module's size; the vehicle's default
 * @param actor who the audit records name: which worker ({@code oem-serve:NAME}) or the command line
 */
public record IntakeOptions(int marginPercent, int soakTicks, OptionalLong seed, int maxCanIds, int hostMemoryPages,
        ResourceCaps resourceCeilings, boolean recompile, Clock clock, Optional<AuditTrail> audit, LogSink moduleLog,
        IntakeListener listener, CompileBudget compileBudget, String actor) {
    public static final int DEFAULT_MARGIN_PERCENT = 50;
    /** The actor of intake records unless one is given. */
    public static final String DEFAULT_ACTOR = "oem-intake";
    public static final int DEFAULT_SOAK_TICKS = 2000;
    public static final int MAX_SOAK_TICKS = 10_000_000;
    public static final int DEFAULT_MAX_CAN_IDS = 64;
    public static final int MAX_CAN_IDS = 4096;

    public IntakeOptions {
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(resourceCeilings, "resourceCeilings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(moduleLog, "moduleLog");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(compileBudget, "compileBudget");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults: 50 % margin, 2000 soak ticks, 64 CAN ids, 256 host pages, the default resource
     * ceilings, the host's default compile budget, system clock, no audit log.
     */
    public static IntakeOptions defaults() {
        return builder().build();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder().marginPercent(marginPercent).soakTicks(soakTicks).maxCanIds(maxCanIds)
                .hostMemoryPages(hostMemoryPages).resourceCeilings(resourceCeilings).recompile(recompile).clock(clock)
                .moduleLog(moduleLog).listener(listener).compileBudget(compileBudget).actor(actor);
        seed.ifPresent(b::seed);
        audit.ifPresent(b::audit);
        return b;
    }

    /** Options with defaults; every setter returns the builder. */
    public static final class Builder {
        private int marginPercent = DEFAULT_MARGIN_PERCENT;
        private int soakTicks = DEFAULT_SOAK_TICKS;
        private OptionalLong seed = OptionalLong.empty();
        private int maxCanIds = DEFAULT_MAX_CAN_IDS;
        private int hostMemoryPages = HostConfig.DEFAULT_HOST_MEMORY_PAGES;
        private ResourceCaps resourceCeilings = ResourceCaps.DEFAULT_CEILINGS;
        private boolean recompile = true;
        private Clock clock = Clock.systemUTC();
        private AuditTrail audit;
        private LogSink moduleLog = (id, line) -> { };
        private IntakeListener listener = IntakeListener.NONE;
        private CompileBudget compileBudget = CompileBudget.DEFAULT;
        private String actor = DEFAULT_ACTOR;

        private Builder() {
        }

        public Builder compileBudget(CompileBudget value) {
            compileBudget = value;
            return this;
        }

        public Builder marginPercent(int value) {
            marginPercent = value;
            return this;
        }

        public Builder soakTicks(int value) {
            soakTicks = value;
            return this;
        }

        public Builder seed(long value) {
            seed = OptionalLong.of(value);
            return this;
        }

        public Builder maxCanIds(int value) {
            maxCanIds = value;
            return this;
        }

        public Builder hostMemoryPages(int value) {
            hostMemoryPages = value;
            return this;
        }

        /** Default {@link ResourceCaps#DEFAULT_CEILINGS}, the vehicle host's default. */
        public Builder resourceCeilings(ResourceCaps value) {
            resourceCeilings = value;
            return this;
        }

        public Builder recompile(boolean value) {
            recompile = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        /** The OEM's audit trail; the pipeline appends to it but does not close it. */
        public Builder audit(AuditTrail value) {
            audit = value;
            return this;
        }

        /** Who the audit records name (default {@value IntakeOptions#DEFAULT_ACTOR}). */
        public Builder actor(String value) {
            actor = Objects.requireNonNull(value, "actor");
            return this;
        }

        public Builder moduleLog(LogSink value) {
            moduleLog = value;
            return this;
        }

        public Builder listener(IntakeListener value) {
            listener = value;
            return this;
        }

        /** @throws IllegalArgumentException naming every value out of range */
        public IntakeOptions build() {
            Problems.of("intake options")
                    .check(marginPercent >= 1 && marginPercent <= 100,
                            "margin " + marginPercent + " % is outside 1..100")
                    .check(soakTicks >= 1 && soakTicks <= MAX_SOAK_TICKS,
                            "soak ticks " + soakTicks + " is outside 1.." + MAX_SOAK_TICKS)
                    .check(maxCanIds >= 1 && maxCanIds <= MAX_CAN_IDS,
                            "CAN id cap " + maxCanIds + " is outside 1.." + MAX_CAN_IDS)
                    .check(hostMemoryPages >= 1 && hostMemoryPages <= 65536,
                            "host memory limit " + hostMemoryPages + " pages is outside 1..65536")
                    .check(resourceCeilings != null, "no resource ceilings")
                    .check(clock != null, "no clock")
                    .check(moduleLog != null, "no module log sink")
                    .check(listener != null, "no listener")
                    .check(compileBudget != null, "no compile budget")
                    .orThrow();
            return new IntakeOptions(marginPercent, soakTicks, seed, maxCanIds, hostMemoryPages, resourceCeilings,
                    recompile, clock, Optional.ofNullable(audit), moduleLog, listener, compileBudget, actor);
        }
    }
}
