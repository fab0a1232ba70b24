package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DeadlineThreadTest {
    /** Runs {@code body} on a fresh DeadlineThread and returns what it threw, or null. */
    private static Throwable onDeadlineThread(java.util.function.Consumer<DeadlineThread> body) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        DeadlineThread[] self = new DeadlineThread[1];
        self[0] = new DeadlineThread(() -> {
            try {
                body.accept(self[0]);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "deadline-thread-test", 1 << 20);
        self[0].start();
        self[0].join(10_000);
        return thrown.get();
    }

    @Test
    void anArmedCallPastItsStopTimeStopsItselfWithoutAStackTrace() throws InterruptedException {
        Throwable t = onDeadlineThread(self -> {
            long now = System.nanoTime();
            self.arm(now + 1_000_000, now, -1);
            while (!self.isInterrupted()) {
                Thread.onSpinWait();
            }
        });
        assertTrue(t instanceof ChicoryInterruptedException, String.valueOf(t));
        assertEquals(0, t.getStackTrace().length, "no stack trace built");
        assertTrue(t.getMessage().contains("by its own thread"), t.getMessage());
    }

    @Test
    void neverStopsBeforeItsStopTime() throws InterruptedException {
        long[] stoppedAfter = new long[1];
        Throwable t = onDeadlineThread(self -> {
            long now = System.nanoTime();
            long stopAt = now + 3_000_000;
            self.arm(stopAt, now, -1);
            try {
                while (!self.isInterrupted()) {
                    Thread.onSpinWait();
                }
            } finally {
                stoppedAfter[0] = System.nanoTime() - stopAt;
            }
        });
        assertTrue(t instanceof DeadlineThread.DeadlineExceeded, String.valueOf(t));
        assertTrue(stoppedAfter[0] >= 0, "stopped " + -stoppedAfter[0] + " ns early");
    }

    @Test
    void theWatchdogsInterruptStopsAnArmedCallToo() throws InterruptedException {
        Throwable t = onDeadlineThread(self -> {
            long now = System.nanoTime();
            self.arm(now + 60_000_000_000L, now, -1);
            self.interrupt();
            self.isInterrupted();
        });
        assertTrue(t instanceof DeadlineThread.DeadlineExceeded, String.valueOf(t));
        assertTrue(t.getMessage().contains("watchdog"), t.getMessage());
    }

    @Test
    void disarmedOrAskedFromAnotherThreadItAnswersAsAPlainThread() throws InterruptedException {
        Throwable t = onDeadlineThread(self -> {
            long now = System.nanoTime();
            self.arm(now - 1, now, -1);
            self.disarm();
            assertFalse(self.isInterrupted());
            self.interrupt();
            assertTrue(self.isInterrupted(), "the flag, not a stop");
            Thread.interrupted();
        });
        assertNull(t);
        AtomicReference<DeadlineThread> armed = new AtomicReference<>();
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        DeadlineThread worker = new DeadlineThread(() -> {
            DeadlineThread self = (DeadlineThread) Thread.currentThread();
            long now = System.nanoTime();
            self.arm(now - 1, now, -1);
            armed.set(self);
            ready.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "deadline-thread-other", 1 << 20);
        worker.start();
        ready.await();
        for (int i = 0; i < 10_000; i++) {
            assertFalse(armed.get().isInterrupted(), "another thread asking is never stopped");
        }
        done.countDown();
        worker.join(10_000);
    }

    @Test
    void aCallsCpuTimeCountsFromItsLazyBaselineSoTimeOffTheCpuIsNotItsOwn() throws InterruptedException {
        long[] used = new long[2];
        Throwable t = onDeadlineThread(self -> {
            long start = System.nanoTime();
            self.arm(start + 60_000_000_000L, start, -1);
            while (System.nanoTime() - start < 2_000_000) {
                self.isInterrupted();
            }
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            self.disarm();
            long elapsed = System.nanoTime() - start;
            used[0] = self.cpuUsed(CallVerdict.cpuNow(), elapsed);
            used[1] = elapsed;
        });
        assertNull(t);
        assertTrue(used[0] < used[1] / 2, "slept 40 ms of " + used[1] / 1_000 + " us, yet " + used[0] / 1_000 + " us of CPU");
        assertTrue(used[0] >= DeadlineThread.CPU_BASELINE_AFTER_NANOS, used[0] + " ns");
    }

    @Test
    void aCallThatNeverReachedACheckFiftyMicrosecondsInCountsAtMostThatMuch() throws InterruptedException {
        long[] used = new long[2];
        Throwable t = onDeadlineThread(self -> {
            long start = System.nanoTime();
            self.arm(start + 60_000_000_000L, start, -1);
            self.isInterrupted();
            self.disarm();
            used[0] = self.cpuUsed(CallVerdict.cpuNow(), 12_345);
            used[1] = self.cpuUsed(CallVerdict.cpuNow(), 12_000_000);
        });
        assertNull(t);
        assertEquals(12_345, used[0], "a short call: its wall time");
        assertEquals(DeadlineThread.MAX_BEFORE_BASELINE_NANOS, used[1], "kept off the CPU for 12 ms: not its own time");
    }
}
