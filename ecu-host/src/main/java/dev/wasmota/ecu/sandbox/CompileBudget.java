package dev.wasmota.ecu.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How long compiling a module may take, by its size: {@code base} plus {@code perMiB} for each
 * MiB of WebAssembly. A module whose compilation takes longer is refused
 * ({@link HostPolicyFailure#COMPILE_TOO_SLOW}), at intake and at install alike, instead of holding
 * up the host: a hostile module can be small and still make a compiler work for minutes.
 *
 * @param base what any module may take
 * @param perMiB what each MiB of WebAssembly adds
 */
public record CompileBudget(Duration base, Duration perMiB) {
    /** 5 s plus 20 s per MiB: a 1 MB module of 100,000 functions compiles in 2-6 s here. */
    public static final CompileBudget DEFAULT = new CompileBudget(Duration.ofSeconds(5), Duration.ofSeconds(20));

    public CompileBudget {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(perMiB, "perMiB");
        if (base.isNegative() || base.isZero() || perMiB.isNegative()) {
            throw new IllegalArgumentException("compile budget " + base + " + " + perMiB
                    + " per MiB: the base must be positive and the rate not negative");
        }
    }

    /** The bound for a module of {@code wasmBytes}. */
    public Duration forModule(long wasmBytes) {
        return base.plus(perMiB.multipliedBy(wasmBytes).dividedBy(1L << 20));
    }

    @Override
    public String toString() {
        return base.toMillis() + " ms + " + perMiB.toMillis() + " ms per MiB";
    }
}
