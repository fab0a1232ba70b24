package dev.wasmota.oem.intake;

/** Hears each check as it starts and ends, e.g. to print progress lines. Called on the intake's thread. */
public interface IntakeListener {
    /** A listener that ignores everything. */
    IntakeListener NONE = new IntakeListener() {
    };

    default void started(IntakeCheck check) {
    }

    default void finished(CheckResult result) {
    }
}
