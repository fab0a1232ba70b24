package dev.wasmota.ecu.slots;

/** One of the two storage slots each module has; an install writes the one that is not active. */
public enum Slot {
    /** The slot a module's first install goes to. */
    A,
    /** The other slot. */
    B;

    /** The other slot of the pair. */
    public Slot other() {
        return this == A ? B : A;
    }
}
