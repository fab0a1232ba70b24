package dev.wasmota.sim;

import java.util.Arrays;
import java.util.Optional;

/** The faults the simulator injects into vehicles, by their command-line names (the sandbox's own faults are {@code ecu.sandbox.FaultKind}). */
public enum InjectedFault {
    /** Power lost at a random install step: the host restarts, recovers, and the broker redelivers. */
    POWER_LOSS("power-loss"),
    /** The vehicle drops off the network for a few seconds while the update is on its way, then reconnects. */
    NETWORK_DROP("network-drop"),
    /** The update arrives twice. */
    DUPLICATE("duplicate"),
    /** The vehicle's clock is ten minutes behind: instructions are not yet valid for it. */
    CLOCK_SKEW("clock-skew"),
    /** A corrupted copy of the package reaches the vehicle before the real one. */
    BAD_MODULE("bad-module"),
    /** Each update takes seconds to arrive. */
    SLOW_LINK("slow-link");

    private final String label;

    InjectedFault(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<InjectedFault> of(String label) {
        return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst();
    }
}
