package dev.wasmota.oem.campaign;

/**
 * What is done with issued instructions once their campaign step has committed. The step already
 * queued them in the database outbox ({@link OutboxQueue}), from which serving workers send them;
 * this hook adds to that: files for delivery by hand ({@link FileOutbox}, the command line's), or
 * a nudge so the dispatcher of this process sends them at once instead of at its next scan. A hook
 * that fails loses nothing: the instructions are in the database.
 */
public interface Outbox {
    /** Called once per instruction of a committed step. */
    void deliver(IssuedInstruction issued);

    /** Called once after a committed step queued other messages (an operator's shadow commands). */
    default void queued() {
    }

    /** A hook that does nothing more. */
    Outbox NONE = issued -> { };
}
