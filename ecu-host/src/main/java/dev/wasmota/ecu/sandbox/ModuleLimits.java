package dev.wasmota.ecu.sandbox;

import dev.wasmota.contract.config.Problems;

import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ResourceCaps;
import java.time.Duration;
import java.util.List;

/**
 * The limits one module runs under: a cap on linear memory (pages of 64 KiB), a budget per call
 * (microseconds), the tick period (milliseconds), and caps on everything else it can make the host
 * allocate (tables and their elements, globals, segments). The memory cap is the lower of the
 * manifest's cap and the host's own limit; {@link #memoryLimits} lowers it further to the module's
 * declared maximum, because Chicory replaces the declared limits instead of intersecting them.
 * The other caps are the manifest's, which must lie within the host's ceilings.
 */
public record ModuleLimits(int memoryPages, long deadlineMicros, long periodMillis, ResourceCaps resources) {
    /** Largest memory cap accepted: 65536 pages is the whole 32-bit address space. */
    public static final int MAX_PAGES = MemoryLimits.MAX_PAGES;
    /** Largest per-call budget accepted (60 s), for compute-heavy intake vectors. */
    public static final long MAX_DEADLINE_MICROS = 60_000_000L;
    /** Longest period accepted (1 h). */
    public static final long MAX_PERIOD_MILLIS = 3_600_000L;

    /** Validates every field and reports all problems in one refusal. */
    public ModuleLimits {
        Problems.of("module limits")
                .check(memoryPages >= 0 && memoryPages <= MAX_PAGES,
                        "memory cap " + memoryPages + " pages is outside 0.." + MAX_PAGES)
                .check(deadlineMicros >= 1 && deadlineMicros <= MAX_DEADLINE_MICROS,
                        "deadline " + deadlineMicros + " us is outside 1.." + MAX_DEADLINE_MICROS)
                .check(periodMillis >= 1 && periodMillis <= MAX_PERIOD_MILLIS,
                        "period " + periodMillis + " ms is outside 1.." + MAX_PERIOD_MILLIS)
                .check(resources != null, "no resource caps")
                .orRefuse(HostPolicyFailure.LIMITS_OUT_OF_RANGE);
    }

    /** Limits with the host's default ceilings as resource caps (benchmarks, tools, tests). */
    public ModuleLimits(int memoryPages, long deadlineMicros, long periodMillis) {
        this(memoryPages, deadlineMicros, periodMillis, ResourceCaps.DEFAULT_CEILINGS);
    }

    /** The limits for a manifest's values under a host memory limit: the lower memory cap wins. */
    public static ModuleLimits of(int manifestPages, int hostPages, long deadlineMicros, long periodMillis) {
        return new ModuleLimits(Math.min(manifestPages, hostPages), deadlineMicros, periodMillis);
    }

    /**
     * The limits a manifest states, under a host's memory limit and resource ceilings: the lower
     * memory cap wins; resource caps above a ceiling are refused, not lowered, so a module never
     * meets at run time a cap lower than the one its supplier declared and the OEM tested.
     *
     * @throws RejectedException {@link dev.wasmota.signing.error.PolicyFailure#RESOURCE_LIMIT}
     */
    public static ModuleLimits of(Manifest m, int hostPages, ResourceCaps hostCeilings) {
        return new ModuleLimits(Math.min(m.memoryPages(), hostPages), m.deadlineUs(), m.periodMs(),
                m.resources().requireWithin(hostCeilings, "this host's ceilings"));
    }

    /** These limits with another per-call budget (intake's relaxed warm-up). */
    public ModuleLimits withDeadlineMicros(long micros) {
        return new ModuleLimits(memoryPages, micros, periodMillis, resources);
    }

    public long deadlineNanos() {
        return deadlineMicros * 1_000L;
    }

    public Duration deadline() {
        return Duration.ofNanos(deadlineNanos());
    }

    public Duration period() {
        return Duration.ofMillis(periodMillis);
    }

    /**
     * The limits memory 0 of an instance gets: the declared initial size, and the lowest of this
     * cap and the declared maximum.
     *
     * @throws RejectedException {@link HostPolicyFailure#MEMORY_LIMIT_EXCEEDED} when the module
     *     declares more initial pages than the cap
     */
    MemoryLimits memoryLimits(MemoryLimits declared) {
        int max = Math.min(memoryPages, declared.maximumPages());
        if (declared.initialPages() > max) {
            throw new RejectedException(HostPolicyFailure.MEMORY_LIMIT_EXCEEDED, "the module declares "
                    + declared.initialPages() + " initial memory pages, above its cap of " + max);
        }
        return new MemoryLimits(declared.initialPages(), max);
    }
}
