package dev.wasmota.ecu.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Counts one module's faults in a sliding time window: the {@code threshold}-th fault within
 * {@code window} trips it, which is the host's cue to roll the module back. Tripping latches
 * until {@link #reset()}. Thread-safe; the clock is injected.
 */
public final class FaultWindow {
    public static final int DEFAULT_THRESHOLD = 3;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private final int threshold;
    private final Duration window;
    private final Clock clock;
    private final ArrayDeque<Instant> faults = new ArrayDeque<>();
    private boolean tripped;

    public FaultWindow(int threshold, Duration window, Clock clock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.threshold = threshold;
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** 3 faults in 5 minutes. */
    public static FaultWindow defaults(Clock clock) {
        return new FaultWindow(DEFAULT_THRESHOLD, DEFAULT_WINDOW, clock);
    }

    /** Counts a fault now; true exactly when this fault trips the window. */
    public synchronized boolean record() {
        Instant now = clock.instant();
        evict(now);
        faults.addLast(now);
        if (!tripped && faults.size() >= threshold) {
            tripped = true;
            return true;
        }
        return false;
    }

    public synchronized boolean tripped() {
        return tripped;
    }

    /** Faults within the window ending now. */
    public synchronized int faultsInWindow() {
        evict(clock.instant());
        return faults.size();
    }

    /** Forgets every fault and the trip (after a rollback, for the module that replaced this one). */
    public synchronized void reset() {
        faults.clear();
        tripped = false;
    }

    public int threshold() {
        return threshold;
    }

    public Duration window() {
        return window;
    }

    private void evict(Instant now) {
        Instant oldest = now.minus(window);
        while (!faults.isEmpty() && !faults.peekFirst().isAfter(oldest)) {
            faults.removeFirst();
        }
    }
}
