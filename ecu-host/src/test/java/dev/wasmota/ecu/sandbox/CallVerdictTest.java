package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.TrapException;
import org.junit.jupiter.api.Test;

class CallVerdictTest {
    private static final long MS = 1_000_000;

    private static CallTicket ticket(long budgetMs, int allowance) {
        return new CallTicket("tick", new long[0], budgetMs * MS, budgetMs * MS * allowance);
    }

    private static CallResult judge(CallTicket t, Throwable failure, boolean expired, long elapsedMs, long cpuMs) {
        return CallVerdict.judge(t, new long[] {7}, failure, expired, elapsedMs * MS, cpuMs * MS, false, "m");
    }

    @Test
    void aCallWithinItsDeadlineIsOk() {
        CallResult r = judge(ticket(5, 1), null, false, 4, 4);
        assertTrue(r.ok(), r::toString);
        assertArrayEquals(new long[] {7}, r.values());
        assertEquals(4 * MS, r.cpuNanos());
    }

    @Test
    void aCallStoppedAfterUsingItsBudgetIsTheModulesDeadlineMiss() {
        CallResult r = judge(ticket(5, 1), new DeadlineThread.DeadlineExceeded(false), false, 5, 5);
        assertEquals(FaultKind.DEADLINE_MISS, r.fault(), r::toString);
        assertTrue(r.fault().blamesModule());
    }

    @Test
    void aCallStoppedAfterNinetyPercentOfItsBudgetIsStillTheModulesMiss() {
        assertEquals(FaultKind.DEADLINE_MISS, judge(ticket(10, 1), null, true, 11, 9).fault());
    }

    @Test
    void aCallStoppedThatTheHostKeptFromRunningIsHostOverloadNotAFault() {
        CallResult r = judge(ticket(2, 1), new ChicoryInterruptedException("Thread interrupted"), true, 14, 1);
        assertEquals(FaultKind.HOST_OVERLOAD, r.fault(), r::toString);
        assertFalse(r.fault().blamesModule());
        assertTrue(r.detail().contains("the host did not give it the CPU"), r.detail());
        assertEquals(12 * MS, r.overshootNanos());
    }

    @Test
    void aCallReturningLateAfterLittleCpuIsHostOverloadAndOneAfterItsBudgetAMiss() {
        assertEquals(FaultKind.HOST_OVERLOAD, judge(ticket(2, 1), null, false, 3, 1).fault());
        assertEquals(FaultKind.DEADLINE_MISS, judge(ticket(2, 1), null, false, 3, 2).fault());
    }

    @Test
    void underAWallClockAllowanceACallIsJudgedByItsCpuTime() {
        assertTrue(judge(ticket(2, 4), null, false, 7, 1).ok(), "late by the wall clock, within its CPU budget");
        CallResult over = judge(ticket(2, 4), null, false, 3, 3);
        assertEquals(FaultKind.DEADLINE_MISS, over.fault(), over::toString);
        assertTrue(over.detail().contains("of CPU time, over its budget"), over.detail());
        assertEquals(FaultKind.DEADLINE_MISS, judge(ticket(2, 4), null, true, 8, 6).fault(), "stopped at 4 budgets");
    }

    @Test
    void otherFailuresAreNamedAsBefore() {
        assertEquals(FaultKind.TRAP, judge(ticket(5, 1), new TrapException("unreachable"), false, 1, 1).fault());
        assertEquals(FaultKind.INTERNAL_ERROR, judge(ticket(5, 1), new IllegalStateException("x"), false, 1, 1).fault());
    }
}
