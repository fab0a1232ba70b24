package dev.wasmota.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultSpecTest {
    private static List<String> fleet(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(FleetConfig.vehicleId(i));
        }
        return ids;
    }

    @Test
    void countsVehiclesAndPercentages() {
        FaultSpec s = FaultSpec.parse("power-loss=3,network-drop=10%,slow-link=100%");
        assertEquals(3, s.count(InjectedFault.POWER_LOSS, 50));
        assertEquals(5, s.count(InjectedFault.NETWORK_DROP, 50));
        assertEquals(50, s.count(InjectedFault.SLOW_LINK, 50));
        assertEquals(0, s.count(InjectedFault.DUPLICATE, 50));
        assertEquals(2, FaultSpec.parse("duplicate=9").count(InjectedFault.DUPLICATE, 2), "never more than the fleet");
    }

    @Test
    void drawsTheSameVehiclesForTheSameSeed() {
        FaultSpec s = FaultSpec.parse("power-loss=4,duplicate=4");
        Map<String, Set<InjectedFault>> a = s.assign(fleet(40), new Random(7));
        assertEquals(a, s.assign(fleet(40), new Random(7)));
        assertEquals(4, a.values().stream().filter(k -> k.contains(InjectedFault.POWER_LOSS)).count());
        assertEquals(4, a.values().stream().filter(k -> k.contains(InjectedFault.DUPLICATE)).count());
    }

    @Test
    void refusesUnknownKindsAndBadAmountsNamingEach() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultSpec.parse("meteor=3,power-loss=x,duplicate=120%"));
        assertTrue(e.getMessage().contains("unknown fault 'meteor'"), e.getMessage());
        assertTrue(e.getMessage().contains("power-loss needs"), e.getMessage());
        assertTrue(e.getMessage().contains("duplicate needs"), e.getMessage());
        assertTrue(e.getMessage().contains("slow-link"), "lists the known faults: " + e.getMessage());
    }

    @Test
    void emptySpecInjectsNothing() {
        assertTrue(FaultSpec.parse("").assign(fleet(10), new Random(1)).isEmpty());
        assertEquals("none", FaultSpec.parse(" ").toString());
    }
}
