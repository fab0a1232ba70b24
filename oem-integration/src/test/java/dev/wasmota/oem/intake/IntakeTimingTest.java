package dev.wasmota.oem.intake;

import static dev.wasmota.oem.intake.IntakeTestKit.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.ecu.sandbox.LogSink;
import dev.wasmota.signing.pkg.ModulePackage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timing margin. A module's own code runs far too fast and too variably on a build machine to
 * place its worst call reliably between half its deadline and its deadline, so these tests make
 * {@code init} slow through the one host call it makes: {@code ecu.log} computes for
 * {@link #SLOW_MS} of the thread's own CPU time (a slow host call is as much the module's time as
 * its own code, and the intake judges CPU time; the spin does not block).
 * healthy_v1's vectors call {@code init} once, and the soak calls it once as the health check.
 */
class IntakeTimingTest {
    static final long DEADLINE_US = 400_000;
    static final long SLOW_MS = 300;

    @TempDir
    Path dir;
    IntakeTestKit kit;
    AuditLog audit;

    @BeforeEach
    void setUp() {
        kit = new IntakeTestKit(dir);
        audit = AuditLog.open(kit.auditFile, kit.fx.clock);
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    ModulePackage healthy() {
        return kit.submitted("healthy_v1.wasm", IntakeTestKit.spec("healthy", IntakeTestKit.HEALTHY_CAPS, 1, DEADLINE_US));
    }

    /** A log sink that computes for {@link #SLOW_MS} of its thread's CPU time on the lines (numbered from 1) {@code slow} picks. */
    static LogSink slowOn(IntPredicate slow) {
        AtomicInteger line = new AtomicInteger();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return (id, text) -> {
            if (slow.test(line.incrementAndGet())) {
                long end = threads.getCurrentThreadCpuTime() + SLOW_MS * 1_000_000;
                while (threads.getCurrentThreadCpuTime() < end) {
                    Thread.onSpinWait();
                }
            }
        };
    }

    IntakeResult integrate(IntakeOptions.Builder options) {
        return new IntakePipeline(kit.oem, options.build()).integrate(healthy(),
                IntakeTestKit.vectors("healthy_v1.vectors.json"));
    }

    @Test
    void refusesAWorstCallOverTheMarginThatIsSlowAgainWhenMeasuredAgain() {
        IntakeResult r = integrate(kit.options(audit).moduleLog(slowOn(n -> true)));
        assertRefused(r, IntakeCheck.TIMING, IntakeFailure.TIMING_MARGIN, 5);
        String why = r.rejection().orElseThrow().getMessage();
        assertTrue(why.contains("budget 200000.0 us = 50% of the 400000 us deadline") && why.contains("init"), why);
        IntakeReport.Timing t = r.report().timing().orElseThrow();
        assertTrue(t.worstNanos() >= SLOW_MS * 1_000_000 && t.confirmedWorstNanos().getAsLong() >= SLOW_MS * 1_000_000);
        assertEquals(List.of(AuditEvent.INTAKE_REJECTED), kit.events());
        assertEquals("TIMING_MARGIN", kit.records().get(0).cause());
    }

    /**
     * Slow on the first line logged while the vector check runs, and never again: the warm-up logs
     * lines too, and how many of them reach the sink depends on the log's rate limit and so on the
     * machine's load, so a line number would not say which call is slowed.
     */
    static IntakeOptions.Builder slowOnceInVectors(IntakeOptions.Builder options) {
        java.util.concurrent.atomic.AtomicBoolean inVectors = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        LogSink slow = slowOn(n -> true);
        return options.listener(new IntakeListener() {
            @Override
            public void started(IntakeCheck check) {
                inVectors.set(check == IntakeCheck.VECTORS);
            }
        }).moduleLog((id, text) -> {
            if (inVectors.get() && done.compareAndSet(false, true)) {
                slow.line(id, text);
            }
        });
    }

    @Test
    void acceptsAOneOffSlowCallThatIsFastWhenMeasuredAgain() {
        IntakeResult r = integrate(slowOnceInVectors(kit.options(audit)));
        assertTrue(r.accepted(), () -> r.report().checks().toString());
        IntakeReport.Timing t = r.report().timing().orElseThrow();
        assertTrue(t.worstNanos() >= SLOW_MS * 1_000_000, t.toString());
        assertTrue(t.worstCall().startsWith("vector case 6 (init)"), t.worstCall());
        assertTrue(t.confirmedWorstNanos().getAsLong() <= t.budgetNanos(), t.toString());
    }

    @Test
    void acceptsTheSlowModuleUnderAWiderMargin() {
        IntakeResult r = integrate(kit.options(audit).moduleLog(slowOn(n -> true)).marginPercent(100));
        assertTrue(r.accepted(), () -> r.report().checks().toString());
        assertEquals(100, r.report().timing().orElseThrow().marginPercent());
    }
}
