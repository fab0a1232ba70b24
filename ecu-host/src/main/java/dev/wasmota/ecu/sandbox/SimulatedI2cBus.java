package dev.wasmota.ecu.sandbox;

import dev.wasmota.signing.manifest.EcuAbi;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Simulated I2C buses: devices by bus number and 7-bit address, each a small register file, and a
 * switch to make a whole bus report errors. Thread-safe.
 */
public final class SimulatedI2cBus {
    /** Registers of a device attached without an explicit register file. */
    public static final int DEFAULT_REGISTERS = 256;

    private final Map<Long, byte[]> devices = new ConcurrentHashMap<>();
    private final Set<Integer> failingBuses = ConcurrentHashMap.newKeySet();

    /** Attaches a device with {@link #DEFAULT_REGISTERS} zeroed registers. */
    public void attach(int bus, int address) {
        attach(bus, address, new byte[DEFAULT_REGISTERS]);
    }

    /** Attaches a device whose registers start as a copy of {@code registers}. */
    public void attach(int bus, int address, byte[] registers) {
        devices.put(key(bus, address), registers.clone());
    }

    public void detach(int bus, int address) {
        devices.remove(key(bus, address));
    }

    /** A copy of a device's registers. */
    public Optional<byte[]> registers(int bus, int address) {
        byte[] regs = devices.get(key(bus, address));
        if (regs == null) {
            return Optional.empty();
        }
        synchronized (regs) {
            return Optional.of(regs.clone());
        }
    }

    /** Makes every transfer on {@code bus} fail with a bus error until cleared. */
    public void injectBusError(int bus, boolean on) {
        if (on) {
            failingBuses.add(bus);
        } else {
            failingBuses.remove(bus);
        }
    }

    /** Copies registers {@code reg..} into {@code dst}; an ABI status (0 or negative). */
    int read(int bus, int address, int reg, byte[] dst) {
        return transfer(bus, address, reg, dst, false);
    }

    /** Copies {@code src} into registers {@code reg..}; an ABI status (0 or negative). */
    int write(int bus, int address, int reg, byte[] src) {
        return transfer(bus, address, reg, src, true);
    }

    private int transfer(int bus, int address, int reg, byte[] data, boolean write) {
        byte[] regs = devices.get(key(bus, address));
        if (regs == null) {
            return EcuAbi.NO_SUCH_DEVICE;
        }
        if (failingBuses.contains(bus)) {
            return EcuAbi.BUS_ERROR;
        }
        if (reg < 0 || (long) reg + data.length > regs.length) {
            return EcuAbi.OUT_OF_BOUNDS;
        }
        synchronized (regs) {
            if (write) {
                System.arraycopy(data, 0, regs, reg, data.length);
            } else {
                System.arraycopy(regs, reg, data, 0, data.length);
            }
        }
        return 0;
    }

    private static long key(int bus, int address) {
        return ((long) bus << 32) | (address & 0xFFFF_FFFFL);
    }
}
