package dev.wasmota.ecu.sandbox;

/**
 * A sandbox's worker thread, which stops a call that runs past its deadline by itself. Chicory's
 * compiled code asks {@code Thread.currentThread().isInterrupted()} on every call and backward
 * branch (its {@code checkInterruption()}, shaded into each compiled module); this thread answers
 * that question from the running call's own deadline, reading the clock every {@code stride}
 * checks, so an overrunning call stops within microseconds of its deadline without waiting for
 * another thread (the watchdog) to get a core. It throws {@link DeadlineExceeded} itself, which
 * builds no stack trace. The watchdog stays the backstop for time spent where no check runs (in
 * a host function, or a long straight-line stretch): its interrupt sets the real flag, which every
 * check also reads.
 *
 * <p>It also takes the call's CPU-time baseline, which the verdict needs only for a late call:
 * not at the start (a thread CPU-time read is a system call, ~200 ns, more than an empty call
 * costs) but at the first check {@link #CPU_BASELINE_AFTER_NANOS} into the call, counting the
 * time before it as CPU time, so a short call reads no CPU time at all (see {@link #cpuUsed}).
 *
 * <p>The stride adapts so the clock is read about every {@link #TARGET_CHECK_NANOS}: it doubles
 * while checks come faster than that (a tight loop) and halves while they come slower, and starts
 * at 1 for every call. A change of pace within one call can leave the clock unread for up to
 * {@link #MAX_STRIDE} checks; the watchdog's interrupt covers that too.
 */
final class DeadlineThread extends Thread {
    /** How often an armed thread reads the clock, aimed at. */
    static final long TARGET_CHECK_NANOS = 20_000;
    /** The most checks between two clock reads. */
    static final int MAX_STRIDE = 4_096;
    /** How far into a call its CPU-time baseline is taken (at the first check after). */
    static final long CPU_BASELINE_AFTER_NANOS = 50_000;
    /**
     * The most of the time before the baseline counted as CPU time: a running call reaches a check
     * within about {@link #TARGET_CHECK_NANOS} of {@link #CPU_BASELINE_AFTER_NANOS}, so a baseline taken
     * later means the thread was kept off the CPU meanwhile (or was in a host function).
     */
    static final long MAX_BEFORE_BASELINE_NANOS = CPU_BASELINE_AFTER_NANOS + 2 * TARGET_CHECK_NANOS;
    /** What {@link #countdown} holds while no call is armed: the slow path is (almost) never reached. */
    private static final int DISARMED = Integer.MAX_VALUE;

    /** Checks left before the next clock read; written by this thread only. */
    private int countdown = DISARMED;
    private int stride = 1;
    private long lastReadNanos;
    /** When the armed call must stop ({@link System#nanoTime()}); meaningful while {@link #armed}. */
    private long stopAt;
    private boolean armed;
    private long armedAt;
    /** The thread's CPU time when the baseline was taken, or -1 before. */
    private long cpuBaseline = -1;
    private long baselineAt;

    DeadlineThread(Runnable body, String name, long stackSize) {
        super(null, body, name, stackSize);
    }

    /**
     * On this thread, before a guest call: its checks stop it at {@code stopAt}. {@code cpuNow}
     * is the thread's CPU time now if the caller read it (the baseline then), or -1 to take the
     * baseline lazily.
     */
    void arm(long stopAt, long now, long cpuNow) {
        this.stopAt = stopAt;
        this.lastReadNanos = now;
        this.armedAt = now;
        this.cpuBaseline = cpuNow;
        this.baselineAt = now;
        this.stride = 1;
        this.countdown = 1;
        this.armed = true;
    }

    /**
     * On this thread, after the call armed last: the CPU time it used, given the thread's CPU time
     * {@code cpuEnd} at its end (or -1) and its wall time {@code elapsed}. Before the baseline the
     * call counts as on the CPU (at most {@link #MAX_BEFORE_BASELINE_NANOS}). A call that took no
     * baseline never reached an interrupt check {@link #CPU_BASELINE_AFTER_NANOS} into it: its own
     * code (every loop and call of which checks) ran for no longer than that, whatever the wall
     * clock says (it was kept off the CPU, or was in a host function); it counts as that much.
     */
    long cpuUsed(long cpuEnd, long elapsed) {
        if (cpuBaseline < 0) {
            return Math.min(elapsed, MAX_BEFORE_BASELINE_NANOS);
        }
        if (cpuEnd < 0) {
            return elapsed;
        }
        return Math.min(elapsed, Math.max(0, cpuEnd - cpuBaseline) + Math.min(baselineAt - armedAt, MAX_BEFORE_BASELINE_NANOS));
    }

    /** On this thread, after the guest call: checks answer as a plain thread's again. */
    void disarm() {
        armed = false;
        countdown = DISARMED;
    }

    /**
     * The interrupt check of compiled guest code. While a call is armed on this very thread, it
     * throws {@link DeadlineExceeded} once the call is past its stop time or the watchdog has
     * interrupted it; otherwise it answers as {@link Thread#isInterrupted()} does.
     */
    @Override
    public boolean isInterrupted() {
        boolean flag = super.isInterrupted();
        if (flag || --countdown <= 0) {
            return slowPath(flag);
        }
        return false;
    }

    private boolean slowPath(boolean flag) {
        if (!armed || Thread.currentThread() != this) {
            if (Thread.currentThread() == this) {
                countdown = DISARMED;
            }
            return flag;
        }
        long now = System.nanoTime();
        if (flag || now - stopAt >= 0) {
            disarm();
            throw new DeadlineExceeded(flag);
        }
        if (cpuBaseline < 0 && now - armedAt >= CPU_BASELINE_AFTER_NANOS) {
            cpuBaseline = CallVerdict.cpuNow();
            baselineAt = now;
        }
        long since = now - lastReadNanos;
        lastReadNanos = now;
        if (since < TARGET_CHECK_NANOS / 2) {
            stride = Math.min(MAX_STRIDE, stride << 1);
        } else if (since > TARGET_CHECK_NANOS && stride > 1) {
            stride >>= 1;
        }
        countdown = stride;
        return false;
    }

    /**
     * A call stopped at its deadline by its own thread, or at the watchdog's interrupt: a
     * {@link com.dylibso.chicory.runtime.ChicoryInterruptedException}, without a stack trace (building one
     * for a deep guest stack took most of the ~50 µs a stop cost).
     */
    static final class DeadlineExceeded extends com.dylibso.chicory.runtime.ChicoryInterruptedException {
        private static final long serialVersionUID = 1L;

        DeadlineExceeded(boolean interrupted) {
            super(interrupted ? "stopped by the watchdog's interrupt" : "stopped at its deadline by its own thread");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
