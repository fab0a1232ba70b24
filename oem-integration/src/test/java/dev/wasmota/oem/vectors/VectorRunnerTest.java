package dev.wasmota.oem.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.ecu.sandbox.Corpus;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorRunnerTest {
    private static final String HEALTHY_CAPS = "log,clock,can.read:120,can.write:220";
    private static final String BRAKE_CAPS = "log,can.read:1A0-1B0,can.write:3A0-3A3";
    private final VectorRunner runner = new VectorRunner();

    private static TestVectors json(String s) {
        return TestVectors.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void healthyV1VectorsPass() {
        VectorReport r = runner.run(Corpus.compiled("healthy_v1", HEALTHY_CAPS), new ModuleLimits(1, 50_000, 10),
                TestVectors.read(Corpus.path("healthy_v1.vectors.json")));

        assertTrue(r.passed(), r.failures().toString());
        assertEquals(10, r.cases().size());
        assertEquals(List.of("-9223372036854775808"), r.cases().get(5).actual(), "i64 wrap-around");
        assertEquals(List.of("healthy v1 init"), r.log());
        r.requirePassed();
    }

    @Test
    void brakeTempVectorsPass() {
        VectorReport r = runner.run(Corpus.compiled("brake_temp", BRAKE_CAPS), new ModuleLimits(1, 50_000, 10),
                TestVectors.read(Corpus.path("brake_temp.vectors.json")));

        assertTrue(r.passed(), r.failures().toString());
        assertTrue(r.worstCallNanos() > 0);
    }

    @Test
    void wrongExpectationFailsWithExpectedAndActual() {
        VectorReport r = runner.run(Corpus.compiled("healthy_v1", HEALTHY_CAPS), new ModuleLimits(1, 50_000, 10),
                json("[{\"export\": \"scale\", \"args\": [\"21\"], \"expect\": [\"43\"]},"
                        + "{\"export\": \"version\", \"args\": [], \"expect\": [1]}]"));

        assertFalse(r.passed());
        CaseResult failed = r.cases().get(0);
        assertEquals(List.of("43"), failed.expected());
        assertEquals(List.of("42"), failed.actual());
        assertTrue(failed.detail().contains("expected [43], got [42]"), failed.detail());
        assertTrue(r.cases().get(1).passed(), "later cases still run");
        var e = assertThrows(RejectedException.class, r::requirePassed);
        assertEquals(VectorFailure.VECTOR_FAILED, e.reason());
        assertEquals(ExitCode.MODULE_FAULT, e.exitCode());
    }

    @Test
    void faultingCaseFailsWithItsFault() {
        VectorReport r = runner.run(Corpus.compiled("oob_load", ""), new ModuleLimits(1, 10_000, 10),
                json("[{\"export\": \"init\", \"args\": [], \"expect\": [0]}, {\"export\": \"tick\", \"args\": [], \"repeat\": 3}]"));

        assertTrue(r.cases().get(0).passed());
        CaseResult tick = r.cases().get(1);
        assertEquals(FaultKind.TRAP, tick.fault());
        assertEquals(1, tick.calls(), "a faulting case stops at its first fault");
        var e = assertThrows(RejectedException.class, r::requirePassed);
        assertEquals(FaultKind.TRAP, e.reason());
    }

    @Test
    void aRunawayCaseIsStoppedAtItsDeadline() {
        VectorReport r = runner.run(Corpus.compiled("runaway", ""), new ModuleLimits(1, 10_000, 10),
                json("[{\"export\": \"init\", \"args\": [], \"expect\": [0]}, {\"export\": \"tick\", \"args\": [], \"repeat\": 3}]"));

        CaseResult tick = r.cases().get(1);
        assertTrue(tick.fault() == FaultKind.DEADLINE_MISS || tick.fault() == FaultKind.HOST_OVERLOAD, tick::toString);
        assertEquals(1, tick.calls(), "a faulting case stops at its first fault");
        assertTrue(tick.worstCallNanos() >= SandboxedModule.FIRST_CALL_BUDGET.toNanos(), tick::toString);
    }

    @Test
    void casesThatDoNotFitTheModuleFailWithoutCalling() {
        VectorReport r = runner.run(Corpus.compiled("healthy_v1", HEALTHY_CAPS), new ModuleLimits(1, 50_000, 10),
                json("[{\"export\": \"nope\", \"args\": []}, {\"export\": \"scale\", \"args\": [1, 2]},"
                        + "{\"export\": \"version\", \"args\": [], \"expect\": [4294967296]},"
                        + "{\"export\": \"scale\", \"args\": [1.5]}]"));

        assertEquals(List.of(0, 0, 0, 0), r.cases().stream().map(CaseResult::calls).toList());
        assertTrue(r.cases().get(0).detail().contains("exports no function 'nope'"));
        assertTrue(r.cases().get(1).detail().contains("1 arguments") || r.cases().get(1).detail().contains("2 arguments"));
        assertTrue(r.cases().get(2).detail().contains("does not fit in i32"), r.cases().get(2).detail());
        assertTrue(r.cases().get(3).detail().contains("not an integer"), r.cases().get(3).detail());
    }
}
