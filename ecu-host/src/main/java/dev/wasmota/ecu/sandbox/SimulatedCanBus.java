package dev.wasmota.ecu.sandbox;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated CAN bus: the latest value of each signal by id, set by tests and the vehicle
 * simulator, and a record of every write modules make. A write also becomes the signal's value,
 * as a frame on a real bus would be seen by every reader. Thread-safe.
 */
public final class SimulatedCanBus {
    /** How many writes are kept for inspection; older ones are dropped (still counted). */
    public static final int WRITE_HISTORY = 4096;

    /** One frame a module wrote. */
    public record Frame(int id, long value) {
    }

    private final Map<Integer, Long> signals = new ConcurrentHashMap<>();
    private final ArrayDeque<Frame> writes = new ArrayDeque<>();
    private long writeCount;
    private volatile boolean busError;

    public void set(int id, long value) {
        signals.put(id, value);
    }

    public void remove(int id) {
        signals.remove(id);
    }

    public OptionalLong value(int id) {
        Long v = signals.get(id);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** Makes every read and write fail with a bus error until cleared. */
    public void injectBusError(boolean on) {
        busError = on;
    }

    public boolean busError() {
        return busError;
    }

    /** The most recent writes, oldest first (at most {@link #WRITE_HISTORY}). */
    public synchronized List<Frame> writes() {
        return List.copyOf(writes);
    }

    public synchronized long writeCount() {
        return writeCount;
    }

    public synchronized void clearWrites() {
        writes.clear();
        writeCount = 0;
    }

    void write(int id, long value) {
        signals.put(id, value);
        synchronized (this) {
            if (writes.size() == WRITE_HISTORY) {
                writes.removeFirst();
            }
            writes.addLast(new Frame(id, value));
            writeCount++;
        }
    }
}
