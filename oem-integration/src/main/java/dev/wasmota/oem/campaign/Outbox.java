package dev.wasmota.oem.campaign;

/**
 * Where issued instructions go once their transaction has committed: files under the OEM
 * directory by default ({@link FileOutbox}), an MQTT route when the routes take over. A delivery
 * that fails leaves the instruction recorded; unanswered, it expires and counts as failed.
 */
public interface Outbox {
    /** Hands one signed instruction (and where its package lies) on towards its vehicle. */
    void deliver(IssuedInstruction issued);
}
