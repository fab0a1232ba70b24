package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import dev.wasmota.signing.manifest.Capability;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.EcuAbi;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host ABI of CONTRACT.md for one module: {@code ecu.log}, {@code clock_us}, {@code can_read},
 * {@code can_write}, {@code i2c_read}, {@code i2c_write}. Every id, bus and address is checked
 * against the module's capabilities (-1), every pointer and length against the calling instance's
 * own memory (-2) before anything is read or written; unknown signals and devices are -3, bus
 * errors -4. These functions return statuses and never throw at the guest. Only granted functions
 * are linked at all.
 */
public final class HostFunctions {
    /** Longest log line kept, in bytes of UTF-8; longer lines are truncated. */
    public static final int MAX_LOG_LINE_BYTES = 256;
    /** Log lines a module may write per second on average... */
    public static final int LOG_LINES_PER_SECOND = 20;
    /** ...and in one burst; lines beyond are dropped and counted. */
    public static final int LOG_BURST = 20;
    /** Longest I2C transfer, in bytes. */
    public static final int MAX_I2C_TRANSFER_BYTES = 256;

    private final String moduleId;
    private final CapabilitySet capabilities;
    private final HostEnvironment env;
    private final List<Capability.CanRead> canReads;
    private final List<Capability.CanWrite> canWrites;
    private final Set<Capability.I2c> i2cDevices;
    private final boolean logGranted;
    private final TokenBucket logBudget;
    private final AtomicLong droppedLogLines = new AtomicLong();
    private long lastClock = Long.MIN_VALUE;
    private volatile IoTap tap = IoTap.NONE;

    public HostFunctions(String moduleId, CapabilitySet capabilities, HostEnvironment env) {
        this.moduleId = moduleId;
        this.capabilities = capabilities;
        this.env = env;
        this.canReads = itemsOf(capabilities, Capability.CanRead.class);
        this.canWrites = itemsOf(capabilities, Capability.CanWrite.class);
        this.i2cDevices = new HashSet<>(itemsOf(capabilities, Capability.I2c.class));
        this.logGranted = capabilities.permitsImport(EcuAbi.MODULE, "log");
        this.logBudget = new TokenBucket(LOG_BURST, LOG_LINES_PER_SECOND, env.clockMicros().getAsLong());
    }

    /** Tells {@code tap} of every bus access from now on ({@link IoTap#NONE} to stop): a shadow run's recorder. */
    public void tap(IoTap tap) {
        this.tap = java.util.Objects.requireNonNull(tap, "tap");
    }

    /** The host functions the capabilities grant, ready to link; nothing else is offered. */
    public ImportValues importValues() {
        ImportValues.Builder b = ImportValues.builder();
        for (String name : capabilities.grantedImports()) {
            var type = WasmTypes.chicoryType(EcuAbi.function(name).orElseThrow());
            b.addFunction(new HostFunction(EcuAbi.MODULE, name, type, handle(name)));
        }
        return b.build();
    }

    private WasmFunctionHandle handle(String name) {
        switch (name) {
            case "log":
                return (inst, a) -> {
                    log(memory(inst), (int) a[0], (int) a[1]);
                    return null;
                };
            case "clock_us":
                return (inst, a) -> {
                    long now = clockMicros();
                    tap.clock(now);
                    return new long[] {now};
                };
            case "can_read":
                return (inst, a) -> status(canRead(memory(inst), (int) a[0], (int) a[1]));
            case "can_write":
                return (inst, a) -> status(canWrite((int) a[0], a[1]));
            case "i2c_read":
                return (inst, a) -> status(
                        i2cRead(memory(inst), (int) a[0], (int) a[1], (int) a[2], (int) a[3], (int) a[4]));
            case "i2c_write":
                return (inst, a) -> status(
                        i2cWrite(memory(inst), (int) a[0], (int) a[1], (int) a[2], (int) a[3], (int) a[4]));
            default:
                throw new IllegalStateException("no host function ecu." + name);
        }
    }

    /** {@code ecu.log}: 0 when the line was logged, -1 when over the rate (dropped), -2 out of bounds. */
    public int log(Memory memory, int ptr, int len) {
        if (!logGranted) {
            return EcuAbi.NOT_PERMITTED;
        }
        if (!inBounds(memory, ptr, len)) {
            droppedLogLines.incrementAndGet();
            return EcuAbi.OUT_OF_BOUNDS;
        }
        if (!logBudget.take(env.clockMicros().getAsLong())) {
            droppedLogLines.incrementAndGet();
            return EcuAbi.NOT_PERMITTED;
        }
        byte[] bytes = memory.readBytes(ptr, Math.min(len, MAX_LOG_LINE_BYTES));
        env.log().line(moduleId, sanitize(bytes));
        return 0;
    }

    /** {@code ecu.clock_us}: the host's monotonic clock, never going backwards for this module. */
    public synchronized long clockMicros() {
        lastClock = Math.max(lastClock, env.clockMicros().getAsLong());
        return lastClock;
    }

    /** {@code ecu.can_read}: 0 and the signal's value as an i64 at {@code outPtr}. */
    public int canRead(Memory memory, int id, int outPtr) {
        if (canReads.stream().noneMatch(r -> r.lo() <= id && id <= r.hi())) {
            return EcuAbi.NOT_PERMITTED;
        }
        if (!inBounds(memory, outPtr, Long.BYTES)) {
            return EcuAbi.OUT_OF_BOUNDS;
        }
        if (env.can().busError()) {
            tap.canRead(id, EcuAbi.BUS_ERROR, 0);
            return EcuAbi.BUS_ERROR;
        }
        var value = env.can().value(id);
        if (value.isEmpty()) {
            tap.canRead(id, EcuAbi.NO_SUCH_DEVICE, 0);
            return EcuAbi.NO_SUCH_DEVICE;
        }
        memory.writeLong(outPtr, value.getAsLong());
        tap.canRead(id, 0, value.getAsLong());
        return 0;
    }

    /** {@code ecu.can_write}: 0 when the frame was sent. */
    public int canWrite(int id, long value) {
        if (canWrites.stream().noneMatch(w -> w.lo() <= id && id <= w.hi())) {
            return EcuAbi.NOT_PERMITTED;
        }
        if (env.can().busError()) {
            tap.canWrite(id, value, EcuAbi.BUS_ERROR);
            return EcuAbi.BUS_ERROR;
        }
        env.can().write(id, value);
        tap.canWrite(id, value, 0);
        return 0;
    }

    /** {@code ecu.i2c_read}: the number of bytes read into {@code buf}, or a negative status. */
    public int i2cRead(Memory memory, int bus, int address, int reg, int buf, int len) {
        int status = checkI2c(memory, bus, address, buf, len);
        if (status != 0) {
            return status;
        }
        byte[] data = new byte[len];
        status = env.i2c().read(bus, address, reg, data);
        tap.i2cRead(bus, address, reg, status, data);
        if (status != 0) {
            return status;
        }
        memory.write(buf, data);
        return len;
    }

    /** {@code ecu.i2c_write}: the number of bytes written from {@code buf}, or a negative status. */
    public int i2cWrite(Memory memory, int bus, int address, int reg, int buf, int len) {
        int status = checkI2c(memory, bus, address, buf, len);
        if (status != 0) {
            return status;
        }
        byte[] data = memory.readBytes(buf, len);
        status = env.i2c().write(bus, address, reg, data);
        tap.i2cWrite(bus, address, reg, data, status);
        return status != 0 ? status : len;
    }

    /** Log lines dropped: over the rate, or pointing outside memory. */
    public long droppedLogLines() {
        return droppedLogLines.get();
    }

    private int checkI2c(Memory memory, int bus, int address, int buf, int len) {
        boolean valid = bus >= 0 && bus <= Capability.MAX_I2C_BUS
                && address >= 0 && address <= Capability.MAX_I2C_ADDRESS;
        if (!valid || !i2cDevices.contains(new Capability.I2c(bus, address))) {
            return EcuAbi.NOT_PERMITTED;
        }
        if (len < 0 || len > MAX_I2C_TRANSFER_BYTES || !inBounds(memory, buf, len)) {
            return EcuAbi.OUT_OF_BOUNDS;
        }
        return 0;
    }

    /** Whether {@code [ptr, ptr+len)}, both read as unsigned 32-bit, lies inside the memory. */
    static boolean inBounds(Memory memory, int ptr, int len) {
        if (memory == null) {
            return false;
        }
        long end = Integer.toUnsignedLong(ptr) + Integer.toUnsignedLong(len);
        return end <= (long) memory.pages() * Memory.PAGE_SIZE;
    }

    static String sanitize(byte[] utf8) {
        String s = new String(utf8, StandardCharsets.UTF_8).stripTrailing();
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean unsafe = type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            out.appendCodePoint(unsafe ? 0xFFFD : cp);
        });
        return out.toString();
    }

    private static Memory memory(Instance instance) {
        return instance.memory();
    }

    private static long[] status(int status) {
        return new long[] {status};
    }

    private static <T extends Capability> List<T> itemsOf(CapabilitySet set, Class<T> type) {
        return set.items().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Refills {@code rate} tokens a second up to {@code burst}, on the host clock. */
    private static final class TokenBucket {
        private final double burst;
        private final double perMicro;
        private double tokens;
        private long lastMicros;

        TokenBucket(int burst, int perSecond, long nowMicros) {
            this.burst = burst;
            this.perMicro = perSecond / 1e6;
            this.tokens = burst;
            this.lastMicros = nowMicros;
        }

        synchronized boolean take(long nowMicros) {
            if (nowMicros > lastMicros) {
                tokens = Math.min(burst, tokens + (nowMicros - lastMicros) * perMicro);
                lastMicros = nowMicros;
            }
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
