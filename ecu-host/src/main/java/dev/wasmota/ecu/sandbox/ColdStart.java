package dev.wasmota.ecu.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * The cold-start allowance: a freshly activated module's first calls, which also pay for the JVM's cold start (its
 * generated classes interpreted before the JIT compiles them, the compiler threads and a start's
 * other loads competing for the cores): while the allowance lasts, each call runs under
 * {@code max(deadline, budget)} instead of the deadline. A call within that is not a fault; a
 * runaway is still stopped, at the budget, and its misses count as ever, so it still trips its
 * fault window within its first ticks. The allowance lasts for the first {@code calls} calls of
 * each export and for {@code length} after the sandbox's first call, whichever ends later. The
 * first call of each export always has {@link SandboxedModule#FIRST_CALL_BUDGET}.
 *
 * @param calls calls of each export under the allowance
 * @param length time under the allowance after the first call
 * @param budget the least budget of a call under the allowance
 */
public record ColdStart(int calls, Duration length, Duration budget) {
    /** No allowance beyond the first call's allowance: every later call under its deadline. */
    public static final ColdStart NONE = new ColdStart(0, Duration.ZERO, Duration.ZERO);
    /** The vehicle's: the first 200 calls of each export and the first 2 s, each call under at least 20 ms. */
    public static final ColdStart VEHICLE = new ColdStart(200, Duration.ofSeconds(2), Duration.ofMillis(20));

    public ColdStart {
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(budget, "budget");
        if (calls < 0 || length.isNegative() || budget.isNegative()) {
            throw new IllegalArgumentException("cold-start allowance of " + calls + " calls, " + length + ", budget " + budget
                    + ": none may be negative");
        }
        if (budget.compareTo(SandboxedModule.FIRST_CALL_BUDGET) > 0) {
            throw new IllegalArgumentException("cold-start budget " + budget + " is over the first call's "
                    + SandboxedModule.FIRST_CALL_BUDGET);
        }
    }

    /** Whether the {@code callIndex}-th call of an export ({@code 0} first), {@code sinceFirstNanos} after the sandbox's first call, is under the allowance. */
    boolean covers(int callIndex, long sinceFirstNanos) {
        return callIndex < calls || sinceFirstNanos < length.toNanos();
    }
}
