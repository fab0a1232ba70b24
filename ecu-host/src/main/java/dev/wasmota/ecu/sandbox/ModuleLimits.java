package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wasmota.signing.error.RejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits one module runs under: a cap on linear memory (pages of 64 KiB), a budget per call
 * (microseconds) and the tick period (milliseconds). The memory cap is the lower of the manifest's
 * cap and the host's own limit; {@link #memoryLimits} lowers it further to the module's declared
 * maximum, because Chicory replaces the declared limits instead of intersecting them.
 */
public record ModuleLimits(int memoryPages, long deadlineMicros, long periodMillis) {
    /** Largest memory cap accepted: 65536 pages is the whole 32-bit address space. */
    public static final int MAX_PAGES = MemoryLimits.MAX_PAGES;
    /** Largest per-call budget accepted (60 s), for compute-heavy intake vectors. */
    public static final long MAX_DEADLINE_MICROS = 60_000_000L;
    /** Longest period accepted (1 h). */
    public static final long MAX_PERIOD_MILLIS = 3_600_000L;

    /** Validates every field and reports all problems in one refusal. */
    public ModuleLimits {
        List<String> problems = new ArrayList<>();
        if (memoryPages < 0 || memoryPages > MAX_PAGES) {
            problems.add("memory cap " + memoryPages + " pages is outside 0.." + MAX_PAGES);
        }
        if (deadlineMicros < 1 || deadlineMicros > MAX_DEADLINE_MICROS) {
            problems.add("deadline " + deadlineMicros + " us is outside 1.." + MAX_DEADLINE_MICROS);
        }
        if (periodMillis < 1 || periodMillis > MAX_PERIOD_MILLIS) {
            problems.add("period " + periodMillis + " ms is outside 1.." + MAX_PERIOD_MILLIS);
        }
        if (!problems.isEmpty()) {
            throw new RejectedException(HostPolicyFailure.LIMITS_OUT_OF_RANGE, String.join("; ", problems));
        }
    }

    /** The limits for a manifest's values under a host memory limit: the lower memory cap wins. */
    public static ModuleLimits of(int manifestPages, int hostPages, long deadlineMicros, long periodMillis) {
        return new ModuleLimits(Math.min(manifestPages, hostPages), deadlineMicros, periodMillis);
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
