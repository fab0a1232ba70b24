package dev.wasmota.ecu;

import dev.wasmota.ecu.sandbox.IoTap;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What one module did on the buses in one tick: the reads it made (with what they returned), the
 * writes it made or attempted (the last per signal), and the first clock reading. Filled by
 * {@link Recorder} on the module's worker thread, taken whole at the end of the tick.
 *
 * @param canReads CAN reads by id: the status and value of the last read of each
 * @param i2cReads I2C reads in order
 * @param writes the last value written per signal ({@code can:0x220} to its decimal value,
 *     {@code i2c:1:0x48:0x10} to its bytes in hex), in the order first written
 * @param clock the first {@code clock_us} the module read, if it read one
 */
record TickIo(Map<Integer, CanRead> canReads, List<I2cRead> i2cReads, Map<String, Write> writes, OptionalLong clock) {
    /** Most distinct reads and writes kept per tick; a module beyond is still run, its excess not compared. */
    static final int MAX_ACCESSES = 1024;

    record CanRead(int status, long value) {
    }

    record I2cRead(int bus, int address, int reg, int status, byte[] data) {
    }

    /** A write: a CAN value ({@code can} true, {@code value}) or I2C bytes. */
    record Write(boolean can, int canId, long value, String bytesHex) {
        String text() {
            return can ? Long.toString(value) : bytesHex;
        }
    }

    static final TickIo EMPTY = new TickIo(Map.of(), List.of(), Map.of(), OptionalLong.empty());

    static String canSignal(int id) {
        return "can:0x" + Integer.toHexString(id);
    }

    static String i2cSignal(int bus, int address, int reg) {
        return "i2c:" + bus + ":0x" + Integer.toHexString(address) + ":0x" + Integer.toHexString(reg);
    }

    /** Records one module's bus accesses tick by tick; {@link #take()} ends a tick. */
    static final class Recorder implements IoTap {
        private Map<Integer, CanRead> canReads = new LinkedHashMap<>();
        private List<I2cRead> i2cReads = new ArrayList<>();
        private Map<String, Write> writes = new LinkedHashMap<>();
        private long clock;
        private boolean clockRead;
        private int accesses;

        /** What the tick since the last take did; starts the next. */
        synchronized TickIo take() {
            TickIo io = new TickIo(canReads, i2cReads, writes, clockRead ? OptionalLong.of(clock) : OptionalLong.empty());
            canReads = new LinkedHashMap<>();
            i2cReads = new ArrayList<>();
            writes = new LinkedHashMap<>();
            clockRead = false;
            accesses = 0;
            return io;
        }

        @Override
        public synchronized void clock(long micros) {
            if (!clockRead) {
                clockRead = true;
                clock = micros;
            }
        }

        @Override
        public synchronized void canRead(int id, int status, long value) {
            if (accesses++ < MAX_ACCESSES) {
                canReads.put(id, new CanRead(status, value));
            }
        }

        @Override
        public synchronized void canWrite(int id, long value, int status) {
            if (accesses++ < MAX_ACCESSES) {
                writes.put(canSignal(id), new Write(true, id, value, ""));
            }
        }

        @Override
        public synchronized void i2cRead(int bus, int address, int reg, int status, byte[] data) {
            if (accesses++ < MAX_ACCESSES) {
                i2cReads.add(new I2cRead(bus, address, reg, status, data.clone()));
            }
        }

        @Override
        public synchronized void i2cWrite(int bus, int address, int reg, byte[] data, int status) {
            if (accesses++ < MAX_ACCESSES) {
                writes.put(i2cSignal(bus, address, reg), new Write(false, 0, 0, HexFormat.of().formatHex(data)));
            }
        }
    }
}
