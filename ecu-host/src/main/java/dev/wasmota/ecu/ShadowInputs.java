package dev.wasmota.ecu;

import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.LogSink;
import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import dev.wasmota.ecu.sandbox.SimulatedI2cBus;
import dev.wasmota.signing.manifest.EcuAbi;
import java.util.HashSet;
import java.util.Set;

/**
 * The shadow's own buses and clock, never the vehicle's: before each of its ticks they are loaded
 * with exactly what the active module read in the same tick (the CAN values and statuses, the I2C
 * register bytes, the first clock reading), so both versions compute on the same inputs; what the
 * shadow writes lands here, captured, and reaches no actuator. A signal the active module did not
 * read in that tick is absent for the shadow (-3), so a shadow that reads more than the active
 * version is seen to differ, not fed a value from another moment.
 */
final class ShadowInputs {
    private final SimulatedCanBus can = new SimulatedCanBus();
    private final SimulatedI2cBus i2c = new SimulatedI2cBus();
    private final Set<Integer> loadedCan = new HashSet<>();
    private final Set<Long> attached = new HashSet<>();
    private final Set<Integer> failingI2c = new HashSet<>();
    private volatile long clock;

    /** The environment the shadow's sandbox is built on: these buses, this clock, the host's log. */
    HostEnvironment environment(LogSink log) {
        return new HostEnvironment(can, i2c, () -> clock, log);
    }

    SimulatedCanBus can() {
        return can;
    }

    /** Loads what the active module read in a tick; {@code nowMicros} stands for its clock if it read none. Only between shadow ticks. */
    void load(TickIo active, long nowMicros) {
        loadedCan.forEach(can::remove);
        loadedCan.clear();
        can.injectBusError(false);
        can.clearWrites();
        active.canReads().forEach((id, read) -> {
            if (read.status() == 0) {
                can.set(id, read.value());
                loadedCan.add(id);
            } else if (read.status() == EcuAbi.BUS_ERROR) {
                can.injectBusError(true);
            }
        });
        attached.forEach(k -> i2c.detach((int) (k >> 8), (int) (k & 0xff)));
        attached.clear();
        failingI2c.forEach(b -> i2c.injectBusError(b, false));
        failingI2c.clear();
        for (TickIo.I2cRead r : active.i2cReads()) {
            if (r.status() == EcuAbi.BUS_ERROR) {
                i2c.injectBusError(r.bus(), true);
                failingI2c.add(r.bus());
            } else if (r.status() == 0) {
                byte[] regs = i2c.registers(r.bus(), r.address()).orElse(new byte[SimulatedI2cBus.DEFAULT_REGISTERS]);
                System.arraycopy(r.data(), 0, regs, r.reg(), Math.min(r.data().length, Math.max(0, regs.length - r.reg())));
                i2c.attach(r.bus(), r.address(), regs);
                attached.add(((long) r.bus() << 8) | r.address());
            }
        }
        active.writes().forEach((signal, w) -> {
            if (!w.can()) {
                String[] p = signal.split(":");
                int bus = Integer.parseInt(p[1]);
                int address = Integer.parseInt(p[2].substring(2), 16);
                if (attached.add(((long) bus << 8) | address)) {
                    i2c.attach(bus, address);
                }
            }
        });
        clock = active.clock().orElse(nowMicros);
    }
}
