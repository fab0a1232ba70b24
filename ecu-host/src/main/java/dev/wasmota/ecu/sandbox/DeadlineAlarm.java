package dev.wasmota.ecu.sandbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The watchdog's backstop for one worker's calls: one alarm per worker rather than one per call.
 * The invariant is that while a call runs, an alarm is pending at or before its deadline. Starting
 * a call schedules an alarm only if none is pending at or before its deadline (one left by an
 * earlier call usually is: same budget, earlier start). When the alarm fires it interrupts the
 * running call if that call is past its deadline (and, a grace later, has the sandbox abandon a
 * worker that ignored it), re-arms for the running call's deadline if not, and when the worker is
 * idle re-arms for its next periodic tick's deadline, or disarms. So a call well within its budget
 * costs a volatile write and a read instead of scheduling and cancelling a timer task (which also
 * woke the watchdog thread on every call), and a periodic tick schedules nothing at all. The
 * worker's own checks ({@link DeadlineThread}) usually stop a call first; this covers time where
 * no check runs, such as a host function.
 */
final class DeadlineAlarm {
    /** No alarm pending. */
    static final long NONE = Long.MIN_VALUE;
    private static final System.Logger LOG = System.getLogger(DeadlineAlarm.class.getName());

    private final SandboxedModule owner;
    private final ModuleWorker worker;
    /** When the pending alarm fires ({@link System#nanoTime()}), or {@link #NONE}. */
    private final AtomicLong alarmAt = new AtomicLong(NONE);

    DeadlineAlarm(SandboxedModule owner, ModuleWorker worker) {
        this.owner = owner;
        this.worker = worker;
    }

    /** Worker side: schedules an alarm at {@code due} unless one is pending at or before it. */
    void ensure(long due) {
        while (true) {
            long pending = alarmAt.get();
            if (pending != NONE && pending - due <= 0) {
                return;
            }
            if (alarmAt.compareAndSet(pending, due)) {
                schedule(due);
                return;
            }
        }
    }

    private void schedule(long due) {
        try {
            owner.watchdog().after(due - System.nanoTime(), () -> fire(due));
        } catch (RuntimeException e) {
            alarmAt.compareAndSet(due, NONE);
            throw e;
        }
    }

    /**
     * Watchdog side, quick and non-blocking: the alarm set for {@code at} fires (unless an earlier
     * one superseded it). Each side writes its own field before reading the other's, so a call that
     * starts while the alarm disarms is seen by one of them, which arms for it.
     */
    private void fire(long at) {
        if (alarmAt.get() != at) {
            return;
        }
        CallTicket t = worker.current();
        if (t != null) {
            long due = t.deadlineAt();
            if (due - System.nanoTime() > 0) {
                if (alarmAt.compareAndSet(at, due)) {
                    scheduleQuietly(due);
                }
                return;
            }
            expire(t);
        }
        long idle = worker.idleAlarm();
        if (!alarmAt.compareAndSet(at, idle)) {
            return;
        }
        if (idle != NONE) {
            scheduleQuietly(idle);
        }
        CallTicket next = worker.current();
        if (next != null && next != t) {
            try {
                ensure(next.deadlineAt());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "module " + owner.id() + ": cannot arm its deadline", e);
            }
        }
    }

    private void scheduleQuietly(long due) {
        try {
            schedule(due);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "module " + owner.id() + ": cannot arm its deadline", e);
        }
    }

    private void expire(CallTicket t) {
        if (t.expire()) {
            owner.watchdog().after(owner.stopGraceNanos(), () -> {
                if (t.running()) {
                    owner.wedged(t);
                }
            });
        }
    }
}
