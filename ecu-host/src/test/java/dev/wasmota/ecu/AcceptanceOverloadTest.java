package dev.wasmota.ecu;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.ecu.AcceptanceCheck.Failure;
import dev.wasmota.ecu.sandbox.FaultKind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The acceptance check's verdict when the host, not the code, failed a case: a case stopped for
 * want of CPU ({@code HOST_OVERLOAD}) runs the whole set again, and only a host overloaded on every
 * attempt refuses, as the host's state (exit 1), never as a vector mismatch (exit 5, which says the
 * vehicle's compiled code behaved otherwise). Found by a sharded run on a loaded machine: 18
 * vehicles refused a good release as {@code ACCEPTANCE_VECTOR_FAILED ... HOST_OVERLOAD}.
 */
class AcceptanceOverloadTest {
    private static final Failure OVERLOAD = new Failure("case 2", "HOST_OVERLOAD: the host did not give it the CPU", true);
    private static final Failure MISMATCH = new Failure("case 3", "expected [7], got [8]", false);

    /** Attempts that answer in turn, counting how many ran. */
    private static final class Attempts implements Supplier<Optional<Failure>> {
        final Deque<Optional<Failure>> answers;
        int ran;

        Attempts(List<Optional<Failure>> answers) {
            this.answers = new ArrayDeque<>(answers);
        }

        @Override
        public Optional<Failure> get() {
            ran++;
            return answers.removeFirst();
        }
    }

    @Test
    void anOverloadedAttemptRunsTheSetAgainAndAPassLater() {
        Attempts a = new Attempts(List.of(Optional.of(OVERLOAD), Optional.of(OVERLOAD), Optional.empty()));
        assertDoesNotThrow(() -> AcceptanceCheck.judge("m", a));
        assertEquals(3, a.ran);
    }

    @Test
    void aHostOverloadedEveryTimeRefusesAsTheHostsStateNotAMismatch() {
        Attempts a = new Attempts(List.of(Optional.of(OVERLOAD), Optional.of(OVERLOAD), Optional.of(OVERLOAD),
                Optional.empty()));
        RejectedException e = assertThrows(RejectedException.class, () -> AcceptanceCheck.judge("m", a));
        assertEquals(FaultKind.HOST_OVERLOAD, e.reason());
        assertEquals(ExitCode.INTERNAL, e.reason().exitCode());
        assertEquals(AcceptanceCheck.ATTEMPTS, a.ran);
        assertTrue(e.getMessage().contains("could not be judged") && e.getMessage().contains("case 2"), e.getMessage());
    }

    @Test
    void aMismatchRefusesAtOnceEvenAfterAnOverload() {
        Attempts a = new Attempts(List.of(Optional.of(OVERLOAD), Optional.of(MISMATCH), Optional.empty()));
        RejectedException e = assertThrows(RejectedException.class, () -> AcceptanceCheck.judge("m", a));
        assertEquals(AcceptanceFailure.ACCEPTANCE_VECTOR_FAILED, e.reason());
        assertEquals(ExitCode.MODULE_FAULT, e.reason().exitCode());
        assertEquals(2, a.ran, "a mismatch is not tried again");
        assertTrue(e.getMessage().startsWith("case 3 of m failed on this vehicle's compiled code: expected [7], got [8]"),
                e.getMessage());
    }
}
