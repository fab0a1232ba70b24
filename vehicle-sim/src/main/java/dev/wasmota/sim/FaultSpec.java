package dev.wasmota.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which faults to inject into how many vehicles: {@code KIND=N} (vehicles) or {@code KIND=P%}
 * (of the fleet), comma-separated, e.g. {@code power-loss=2,network-drop=10%,duplicate=5}.
 * Vehicles are drawn with the run's seeded randomness; one vehicle may get several faults.
 */
public final class FaultSpec {
    private final Map<InjectedFault, String> amounts;

    private FaultSpec(Map<InjectedFault, String> amounts) {
        this.amounts = amounts;
    }

    public static FaultSpec none() {
        return new FaultSpec(new EnumMap<>(InjectedFault.class));
    }

    /** Parses a SPEC; throws {@link IllegalArgumentException} naming every bad entry. */
    public static FaultSpec parse(String spec) {
        Map<InjectedFault, String> m = new EnumMap<>(InjectedFault.class);
        List<String> problems = new ArrayList<>();
        if (spec != null && !spec.isBlank()) {
            for (String item : spec.split(",")) {
                String[] kv = item.trim().split("=", 2);
                var kind = InjectedFault.of(kv[0].trim());
                if (kind.isEmpty()) {
                    problems.add("unknown fault '" + kv[0].trim() + "'");
                } else if (kv.length < 2 || !kv[1].trim().matches("\\d{1,6}%?") || (kv[1].trim().endsWith("%")
                        && Integer.parseInt(kv[1].trim().replace("%", "")) > 100)) {
                    problems.add(kv[0].trim() + " needs =N (vehicles) or =P% (0-100)");
                } else {
                    m.put(kind.get(), kv[1].trim());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems) + "; faults: " + Arrays.stream(InjectedFault.values())
                    .map(InjectedFault::label).collect(Collectors.joining(", ")));
        }
        return new FaultSpec(m);
    }

    /** How many of {@code fleet} vehicles get {@code kind}. */
    public int count(InjectedFault kind, int fleet) {
        String a = amounts.get(kind);
        if (a == null) {
            return 0;
        }
        int n = a.endsWith("%") ? (int) Math.round(fleet * Integer.parseInt(a.replace("%", "")) / 100.0) : Integer.parseInt(a);
        return Math.min(n, fleet);
    }

    /** Draws the faulty vehicles: vehicle id → its faults (vehicles without faults are absent). */
    public Map<String, Set<InjectedFault>> assign(List<String> vehicles, Random random) {
        Map<String, Set<InjectedFault>> out = new LinkedHashMap<>();
        for (InjectedFault kind : InjectedFault.values()) {
            List<String> shuffled = new ArrayList<>(vehicles);
            Collections.shuffle(shuffled, random);
            for (String v : shuffled.subList(0, count(kind, vehicles.size()))) {
                out.computeIfAbsent(v, x -> EnumSet.noneOf(InjectedFault.class)).add(kind);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return amounts.isEmpty() ? "none" : amounts.entrySet().stream().map(e -> e.getKey().label() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
