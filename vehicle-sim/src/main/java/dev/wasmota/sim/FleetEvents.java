package dev.wasmota.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Counts of what happened to the fleet, by kind: faults injected, rollbacks by cause, refusals by reason. */
final class FleetEvents {
    private final Map<String, AtomicInteger> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> rollbacks = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private volatile Consumer<String> narrator = line -> { };

    void narrateWith(Consumer<String> n) {
        narrator = n;
    }

    void fault(InjectedFault kind, String vehicle, String detail) {
        faults.computeIfAbsent(kind.label(), k -> new AtomicInteger()).incrementAndGet();
        narrator.accept("fault " + kind.label() + " on " + vehicle + ": " + detail);
    }

    /** Something in the simulator itself went wrong for a vehicle: counted and told, never silent. */
    void problem(String vehicle, String detail) {
        refusals.computeIfAbsent("SIMULATOR_PROBLEM", k -> new AtomicInteger()).incrementAndGet();
        narrator.accept("simulator problem on " + vehicle + ": " + detail);
    }

    void rollback(String cause, int n) {
        rollbacks.computeIfAbsent(cause, k -> new AtomicInteger()).addAndGet(n);
    }

    void refusal(String reason) {
        refusals.computeIfAbsent(reason, k -> new AtomicInteger()).incrementAndGet();
    }

    Map<String, Integer> faults() {
        return snapshot(faults);
    }

    Map<String, Integer> rollbacks() {
        return snapshot(rollbacks);
    }

    Map<String, Integer> refusals() {
        return snapshot(refusals);
    }

    int faultCount() {
        return faults.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> m) {
        Map<String, Integer> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
