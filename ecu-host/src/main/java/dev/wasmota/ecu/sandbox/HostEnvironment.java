package dev.wasmota.ecu.sandbox;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What the host ABI reaches on the vehicle: its CAN and I2C buses, its monotonic clock in
 * microseconds, and the module log. Shared by the modules of one ECU; inject a fake clock and
 * buses in tests.
 */
public record HostEnvironment(SimulatedCanBus can, SimulatedI2cBus i2c, LongSupplier clockMicros, LogSink log) {
    public HostEnvironment {
        Objects.requireNonNull(can, "can");
        Objects.requireNonNull(i2c, "i2c");
        Objects.requireNonNull(clockMicros, "clockMicros");
        Objects.requireNonNull(log, "log");
    }

    /** Fresh simulated buses, the JVM's monotonic clock and the system logger. */
    public static HostEnvironment simulated() {
        long origin = System.nanoTime();
        return new HostEnvironment(new SimulatedCanBus(), new SimulatedI2cBus(),
                () -> (System.nanoTime() - origin) / 1_000, LogSink.systemLogger());
    }

    public HostEnvironment withClock(LongSupplier clock) {
        return new HostEnvironment(can, i2c, clock, log);
    }

    public HostEnvironment withLog(LogSink sink) {
        return new HostEnvironment(can, i2c, clockMicros, sink);
    }

    public HostEnvironment withCan(SimulatedCanBus bus) {
        return new HostEnvironment(bus, i2c, clockMicros, log);
    }
}
