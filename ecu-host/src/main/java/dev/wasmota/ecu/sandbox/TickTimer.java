package dev.wasmota.ecu.sandbox;

/**
 * A module's periodic tick, run by the module's own worker thread on its own timer: the worker
 * sleeps until the next period is due and calls {@code tick()} itself, so no other thread hands it
 * each tick (waking a parked thread cost 11-14 µs a tick on this project's VM). Periods are fixed
 * from the start; a period that comes due while a tick is still running is skipped and counted,
 * and the next tick waits for the next period. The worker reads and advances {@link #nextDue};
 * the watchdog reads it to keep its deadline alarm armed for the next tick, so starting a tick
 * schedules nothing.
 */
final class TickTimer {
    /** Told of each tick: its result and the periods it made skip. */
    interface Listener {
        /** A tick's result, on the worker thread (or the watchdog's, for a call it abandoned): quick, never blocking. */
        void result(CallResult result);

        /** {@code periods} periods came due while a tick ran, and were skipped. */
        void skipped(long periods);

        /** When a tick was due, when the worker woke for it, and when its result was told ({@link System#nanoTime()}). */
        default void timed(long dueNanos, long wokeNanos, long doneNanos) {
        }
    }

    final long periodNanos;
    final Listener listener;
    /** When the next tick is due ({@link System#nanoTime()}); advanced by the worker. */
    volatile long nextDue;
    volatile boolean stopped;
    /** The tick running or last run, or null before the first. */
    volatile CallTicket last;

    TickTimer(long periodNanos, long firstDue, Listener listener) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.periodNanos = periodNanos;
        this.nextDue = firstDue;
        this.listener = listener;
    }

    /** Nanoseconds until the next tick is due (zero or less: due now). */
    long untilDue(long now) {
        return nextDue - now;
    }

    /**
     * Worker side, after a tick due at {@code due} that ended at {@code end}: the next tick is the
     * first period due after {@code end}; returns how many periods were skipped on the way.
     */
    long advance(long due, long end) {
        long next = due + periodNanos;
        long skipped = 0;
        if (next - end <= 0) {
            skipped = (end - next) / periodNanos + 1;
            next += skipped * periodNanos;
        }
        nextDue = next;
        return skipped;
    }

    /**
     * Watchdog side: when an idle worker's deadline alarm should next fire, the deadline of the
     * next tick if it starts on time ({@code due + wallLimit}), moved on by whole periods past
     * {@code now}. The tick then finds this alarm pending at or before its own deadline.
     */
    long nextAlarm(long now, long wallLimitNanos) {
        long at = nextDue + wallLimitNanos;
        if (at - now <= 0) {
            at += ((now - at) / periodNanos + 1) * periodNanos;
        }
        return at;
    }
}
