package dev.wasmota.oem.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditLog;
import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timing margin judges what the module needs, not what else runs on the OEM's machine: the
 * same module is accepted on an idle machine and beside two busy threads (one per core of a
 * 2-core machine, so the intake's own threads compete for a core), and a module that really needs
 * 80 % of its deadline is refused in both. busy.wasm's {@code work(n)} computes for {@code n}
 * rounds; the test first measures how long a call of {@code n} rounds takes on this machine (its
 * fastest of many, on an idle moment), then sets the deadline so that call needs 20 % or 80 % of
 * it; the vectors call it 20 times.
 */
class IntakeCpuTimingTest {
    private static final long TARGET_NANOS = 2_000_000;
    private static long rounds;
    private static long callNanos;

    @TempDir
    Path dir;
    IntakeTestKit kit;
    AuditLog audit;

    @BeforeAll
    static void calibrate() {
        CompiledModule busy = CompiledModule.compile(Fixtures.wasm("busy.wasm"), CapabilitySet.EMPTY);
        try (SandboxedModule m = SandboxedModule.builder(busy).id("calibrate").limits(new ModuleLimits(1, 10_000_000, 10))
                .build()) {
            rounds = 500_000;
            for (int pass = 0; pass < 4; pass++) {
                callNanos = fastest(m, rounds);
                rounds = Math.max(1, rounds * TARGET_NANOS / Math.max(1, callNanos));
            }
            callNanos = fastest(m, rounds);
        }
    }

    private static long fastest(SandboxedModule m, long n) {
        long[] t = new long[41];
        for (int i = 0; i < t.length; i++) {
            CallResult r = m.call("work", n);
            assertTrue(r.ok(), r::toString);
            t[i] = r.elapsedNanos();
        }
        Arrays.sort(t);
        return t[0];
    }

    @BeforeEach
    void setUp() {
        kit = new IntakeTestKit(dir);
        audit = AuditLog.open(kit.auditFile, kit.fx.clock);
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    /** Integrates busy.wasm with a deadline under which a call of the calibrated size needs {@code percent} of it. */
    IntakeResult integrate(int percent) {
        long deadlineUs = callNanos * 100 / percent / 1_000;
        return new IntakePipeline(kit.oem, kit.options(audit).build()).integrate(
                kit.submitted("busy.wasm", IntakeTestKit.spec("busy-" + percent, "", 1, deadlineUs)),
                IntakeTestKit.json("[{\"export\": \"work\", \"args\": [" + rounds + "], \"repeat\": 20}]"));
    }

    /** Runs {@code intake} while {@code threads} threads spin on the machine's cores. */
    static <T> T besideBusyThreads(int threads, Supplier<T> intake) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                long x = 1;
                while (!stop.get()) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                }
                if (x == 42) {
                    System.out.print("");
                }
            }, "busy-" + i);
            t.setDaemon(true);
            t.start();
            busy.add(t);
        }
        try {
            return intake.get();
        } finally {
            stop.set(true);
            for (Thread t : busy) {
                t.join();
            }
        }
    }

    @Test
    void acceptsAModuleNeedingTwentyPercentOfItsDeadlineIdleAndBesideTwoBusyThreads() throws InterruptedException {
        IntakeResult idle = integrate(20);
        assertTrue(idle.accepted(), () -> idle.report().checks().toString());

        IntakeResult loaded = besideBusyThreads(2, () -> integrate(20));
        assertTrue(loaded.accepted(), () -> "accepted idle, so accepted beside two busy threads: "
                + loaded.report().checks());
    }

    @Test
    void refusesAModuleNeedingEightyPercentOfItsDeadlineIdleAndBesideTwoBusyThreads() throws InterruptedException {
        // "idle" is this test's threads only: the build's other module may run beside it and slow the very
        // code past its deadline (once 6.9 ms of CPU for a 2.5 ms budget), which is refused too, by its own check
        assertRefusedForTime(integrate(80), "refused idle");
        assertRefusedForTime(besideBusyThreads(2, () -> integrate(80)), "refused idle, so refused beside two busy threads");
    }

    /** Refused, exit 5, over its timing margin (or, where others slowed its very code, over its deadline). */
    private static void assertRefusedForTime(IntakeResult r, String what) {
        assertFalse(r.accepted(), what);
        var why = r.rejection().orElseThrow();
        assertEquals(5, why.exitCode().code(), why.getMessage());
        assertTrue(why.reason() == IntakeFailure.TIMING_MARGIN || why.reason() == FaultKind.DEADLINE_MISS,
                () -> "over its margin (or, where others slowed its very code, over its deadline): " + why.getMessage());
        assertTrue(r.countersigned().isEmpty(), what);
    }
}
