package dev.wasmota.oem.intake;

import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import dev.wasmota.signing.manifest.Capability;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The soak's CAN inputs: before every tick, each CAN id the module may read gets a new random
 * value, or goes silent. Values mix realistic sensor readings, boundary values and arbitrary
 * 64-bit patterns. Ids come from the {@code can.read} ranges, taken round-robin from each
 * range's low end up to a cap, so every range is exercised however wide the others are.
 */
final class CanInputs {
    private static final long[] BOUNDARIES = {0, 1, -1, 0x7F, 0xFF, 0x7FFF, 0x8000, 0xFFFF, Integer.MAX_VALUE,
            Integer.MIN_VALUE, 0xFFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE};

    private final List<Integer> ids;
    private final boolean capped;

    private CanInputs(List<Integer> ids, boolean capped) {
        this.ids = List.copyOf(ids);
        this.capped = capped;
    }

    static CanInputs of(CapabilitySet capabilities, int maxIds) {
        List<int[]> ranges = capabilities.items().stream()
                .filter(c -> c instanceof Capability.CanRead)
                .map(c -> new int[] {((Capability.CanRead) c).lo(), ((Capability.CanRead) c).hi()})
                .collect(Collectors.toList());
        TreeSet<Integer> ids = new TreeSet<>();
        boolean more = true;
        for (long k = 0; more && ids.size() < maxIds; k++) {
            more = false;
            for (int[] r : ranges) {
                if (r[0] + k <= r[1] && ids.size() < maxIds) {
                    ids.add((int) (r[0] + k));
                    more = more || r[0] + k < r[1];
                }
            }
        }
        long covered = ranges.stream().mapToLong(r -> (long) r[1] - r[0] + 1).sum();
        return new CanInputs(new ArrayList<>(ids), covered > ids.size() && ids.size() == maxIds);
    }

    List<Integer> ids() {
        return ids;
    }

    /** Whether the capabilities cover more ids than are driven. */
    boolean capped() {
        return capped;
    }

    /** Sets the next inputs on {@code bus}; returns them by id, a silent id as null. */
    Map<Integer, Long> drive(SimulatedCanBus bus, Random random) {
        Map<Integer, Long> set = new LinkedHashMap<>();
        for (int id : ids) {
            int pick = random.nextInt(100);
            if (pick < 5) {
                bus.remove(id);
                set.put(id, null);
                continue;
            }
            long value = pick < 20 ? BOUNDARIES[random.nextInt(BOUNDARIES.length)]
                    : pick < 80 ? random.nextInt(1 << 16)
                    : random.nextLong();
            bus.set(id, value);
            set.put(id, value);
        }
        return set;
    }

    /** {@code 0x120=42, 0x121=silent}, for messages. */
    static String describe(Map<Integer, Long> inputs) {
        if (inputs.isEmpty()) {
            return "no CAN inputs";
        }
        return inputs.entrySet().stream()
                .map(e -> "0x" + Integer.toHexString(e.getKey()) + "=" + (e.getValue() == null ? "silent" : e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
