package dev.wasmota.oem.campaign;

import java.util.ArrayList;
import java.util.List;

/** An outbox that keeps what it is given, for tests to answer and inspect. */
public final class RecordingOutbox implements Outbox {
    private final List<IssuedInstruction> delivered = new ArrayList<>();

    @Override
    public synchronized void deliver(IssuedInstruction issued) {
        delivered.add(issued);
    }

    public synchronized List<IssuedInstruction> all() {
        return List.copyOf(delivered);
    }

    /** What was delivered for one campaign, in order. */
    public synchronized List<IssuedInstruction> of(String campaignId) {
        return delivered.stream().filter(i -> i.instruction().campaignId().equals(campaignId)).toList();
    }

    /** The latest instruction delivered to one vehicle. */
    public synchronized IssuedInstruction lastTo(String vehicleId) {
        return delivered.stream().filter(i -> i.instruction().vehicleId().equals(vehicleId))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("nothing delivered to " + vehicleId));
    }
}
