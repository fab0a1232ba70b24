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
    /** What {@link #countdown} holds while no call is armed: the slow path is (almost) never reached. */
    private static final int DISARMED = Integer.MAX_VALUE;

    /** Checks left before the next clock read; written by this thread only. */
    private int countdown = DISARMED;
    private int stride = 1;
    private long lastReadNanos;
    /** When the armed call must stop ({@link System#nanoTime()}); meaningful while {@link #armed}. */
    private long stopAt;
    private boolean armed;

    DeadlineThread(Runnable body, String name, long stackSize) {
        super(null, body, name, stackSize);
    }

    /** On this thread, before a guest call: its checks stop it at {@code stopAt}. */
    void arm(long stopAt, long now) {
        this.stopAt = stopAt;
        this.lastReadNanos = now;
        this.stride = 1;
        this.countdown = 1;
        this.armed = true;
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
