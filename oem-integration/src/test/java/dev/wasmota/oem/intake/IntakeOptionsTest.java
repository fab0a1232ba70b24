package dev.wasmota.oem.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.ecu.HostConfig;
import org.junit.jupiter.api.Test;

class IntakeOptionsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        IntakeOptions o = IntakeOptions.defaults();
        assertEquals(50, o.marginPercent());
        assertEquals(2000, o.soakTicks());
        assertTrue(o.seed().isEmpty());
        assertEquals(HostConfig.DEFAULT_HOST_MEMORY_PAGES, o.hostMemoryPages());
        assertTrue(o.recompile());
        assertTrue(o.audit().isEmpty());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntakeOptions.builder()
                .marginPercent(0).soakTicks(0).maxCanIds(0).hostMemoryPages(70_000).build());
        for (String problem : new String[] {"margin 0 %", "soak ticks 0", "CAN id cap 0", "host memory limit 70000"}) {
            assertTrue(e.getMessage().contains(problem), e.getMessage());
        }
    }

    @Test
    void toBuilderKeepsEveryValue() {
        IntakeOptions o = IntakeOptions.builder().marginPercent(30).soakTicks(10).seed(7).maxCanIds(3)
                .hostMemoryPages(16).recompile(false).build();
        assertEquals(o, o.toBuilder().build());
    }
}
