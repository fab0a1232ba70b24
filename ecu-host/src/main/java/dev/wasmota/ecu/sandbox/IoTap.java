package dev.wasmota.ecu.sandbox;

/**
 * Told of every bus access a module's host functions made, after the access, on the module's
 * worker thread: what a shadow run records of the active module's reads (to replay them to the
 * shadow) and of both modules' writes (to compare them). Must be quick and must not block or throw.
 * Accesses refused before reaching a bus (not permitted, out of bounds) are not told.
 */
public interface IoTap {
    /** Taps nothing. */
    IoTap NONE = new IoTap() {
    };

    /** {@code ecu.clock_us} returned {@code micros}. */
    default void clock(long micros) {
    }

    /** {@code ecu.can_read} of {@code id} returned {@code status}; {@code value} is meaningful when it is 0. */
    default void canRead(int id, int status, long value) {
    }

    /** {@code ecu.can_write} of {@code value} to {@code id} returned {@code status}. */
    default void canWrite(int id, long value, int status) {
    }

    /** {@code ecu.i2c_read} returned {@code status}; {@code data} holds the bytes read when it is non-negative. */
    default void i2cRead(int bus, int address, int reg, int status, byte[] data) {
    }

    /** {@code ecu.i2c_write} of {@code data} returned {@code status}. */
    default void i2cWrite(int bus, int address, int reg, byte[] data, int status) {
    }
}
