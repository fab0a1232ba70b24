package dev.wasmota.ecu.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import dev.wasmota.ecu.sandbox.Corpus;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.HostFunctions;
import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import dev.wasmota.ecu.sandbox.SimulatedI2cBus;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.EcuAbi;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host ABI ({@code ecu.log}, {@code clock_us}, {@code can_read}, {@code can_write},
 * {@code i2c_read}, {@code i2c_write}) called with fuzzed ids, pointers and lengths against the
 * memory of a real instance of {@code healthy_v1.wasm}: only ABI statuses come back, nothing is
 * thrown, no byte outside the call's own output range changes, and each call allocates little.
 */
class HostFunctionsFuzzTest {
    /** The host allocates at most a 256-byte transfer or log line per call, plus the line's string. */
    static final long CALL_ALLOCATION_LIMIT = 64 * 1024;
    static final int I2C_BUS = 1;
    static final int I2C_ADDRESS = 0x50;
    static final List<String> GRANTS = List.of(
            "log,clock,can.read:0-1fffffff,can.write:0-1fffffff,i2c:1:50",
            "log,clock,can.read:120,can.write:220",
            "clock,i2c:1:50,i2c:2:51",
            "");

    private static final AtomicLong MICROS = new AtomicLong(1_000_000);
    private static final AtomicLong LOGGED = new AtomicLong();
    private static final SimulatedCanBus CAN = new SimulatedCanBus();
    private static final SimulatedI2cBus I2C = new SimulatedI2cBus();
    private static final HostEnvironment ENV = new HostEnvironment(CAN, I2C, MICROS::get, (id, line) -> checkLine(line));
    private static final Map<String, HostFunctions> HOSTS = new HashMap<>();
    private static final Map<String, HostFunction[]> IMPORTS = new HashMap<>();
    /** healthy_v1 needs log, clock and CAN linked; its memory (one page) is what every host writes into. */
    private static final Instance INSTANCE;

    static {
        CAN.set(0x120, 42);
        CAN.set(0x1FFF_FFFF, -1);
        CAN.set(0, Long.MIN_VALUE);
        for (String grant : GRANTS) {
            HostFunctions host = new HostFunctions("fuzz", CapabilitySet.parse(grant), ENV);
            HOSTS.put(grant, host);
            IMPORTS.put(grant, Arrays.stream(host.importValues().functions()).map(HostFunction.class::cast).toArray(HostFunction[]::new));
        }
        INSTANCE = Instance.builder(Parser.parse(Corpus.bytes("healthy_v1.wasm")))
                .withImportValues(HOSTS.get(GRANTS.get(0)).importValues()).build();
    }

    @FuzzTest(maxDuration = "30s")
    void hostAbiReturnsStatusesAndStaysInBounds(FuzzedDataProvider data) {
        String grant = data.pickValue(GRANTS);
        HostFunctions host = HOSTS.get(grant);
        HostFunction[] imports = IMPORTS.get(grant);
        Memory memory = INSTANCE.memory();
        CAN.injectBusError(data.consumeBoolean());
        I2C.injectBusError(I2C_BUS, data.consumeBoolean());
        if (data.consumeBoolean()) {
            I2C.attach(I2C_BUS, I2C_ADDRESS, data.consumeBytes(data.consumeInt(0, 300)));
        }
        int calls = data.consumeInt(1, 8);
        for (int c = 0; c < calls && data.remainingBytes() > 0; c++) {
            call(data, host, imports, memory);
        }
    }

    private static void call(FuzzedDataProvider data, HostFunctions host, HostFunction[] imports, Memory memory) {
        int size = memory.pages() * Memory.PAGE_SIZE;
        byte[] before = memory.readBytes(0, size);
        int op = data.consumeInt(0, 5);
        int bus = data.consumeBoolean() ? I2C_BUS : data.consumeInt();
        int address = data.consumeBoolean() ? I2C_ADDRESS : data.consumeInt();
        int id = data.consumeBoolean() ? data.consumeInt(0x100, 0x2ff) : data.consumeInt();
        int ptr = data.consumeBoolean() ? data.consumeInt(size - 300, size + 8) : data.consumeInt();
        int len = data.consumeBoolean() ? data.consumeInt(-1, 300) : data.consumeInt();
        int reg = data.consumeInt();
        long value = data.consumeLong();
        boolean viaImport = data.consumeBoolean();
        long clockBefore = host.clockMicros();
        MICROS.set(data.consumeLong());
        java.util.function.IntSupplier hostCall = switch (op) {
            case 0 -> () -> viaImport ? invoke(imports, "log", ptr, len) : host.log(memory, ptr, len);
            case 1 -> () -> {
                long now = viaImport ? invokeClock(imports) : host.clockMicros();
                return now >= clockBefore ? 0 : Integer.MIN_VALUE;
            };
            case 2 -> () -> viaImport ? invoke(imports, "can_read", id, ptr) : host.canRead(memory, id, ptr);
            case 3 -> () -> viaImport ? invoke(imports, "can_write", id, value) : host.canWrite(id, value);
            case 4 -> () -> viaImport ? invoke(imports, "i2c_read", bus, address, reg, ptr, len)
                    : host.i2cRead(memory, bus, address, reg, ptr, len);
            default -> () -> viaImport ? invoke(imports, "i2c_write", bus, address, reg, ptr, len)
                    : host.i2cWrite(memory, bus, address, reg, ptr, len);
        };
        int[] status = new int[1];
        long allocated = allocation(() -> status[0] = hostCall.getAsInt());
        int written = 0;
        switch (op) {
            case 0 -> assertIn(status[0], 0, EcuAbi.NOT_PERMITTED, EcuAbi.OUT_OF_BOUNDS);
            case 1 -> assertEquals(0, status[0], "clock_us went backwards from " + clockBefore);
            case 2 -> {
                assertIn(status[0], 0, EcuAbi.NOT_PERMITTED, EcuAbi.OUT_OF_BOUNDS, EcuAbi.NO_SUCH_DEVICE, EcuAbi.BUS_ERROR);
                written = status[0] == 0 ? Long.BYTES : 0;
            }
            case 3 -> assertIn(status[0], 0, EcuAbi.NOT_PERMITTED, EcuAbi.BUS_ERROR);
            default -> {
                int s = status[0];
                assertTrue(s == len && len >= 0 && len <= HostFunctions.MAX_I2C_TRANSFER_BYTES
                        || s < 0 && s >= EcuAbi.BUS_ERROR, "i2c op " + op + " returned " + s + " for len " + len);
                written = op == 4 ? Math.max(s, 0) : 0;
            }
        }
        assertTrue(allocated <= CALL_ALLOCATION_LIMIT, "host call " + op + " allocated " + allocated + " bytes");
        assertEquals(size, memory.pages() * Memory.PAGE_SIZE, "the host never grows memory");
        assertUnchangedOutside(before, memory.readBytes(0, size), ptr, written);
    }

    /** Calls the linked import the guest would call, with the guest's i32/i64 arguments; absent imports are -1. */
    private static int invoke(HostFunction[] imports, String name, long... args) {
        for (HostFunction f : imports) {
            if (f.name().equals(name)) {
                long[] out = f.handle().apply(INSTANCE, args);
                return out == null ? 0 : (int) out[0];
            }
        }
        return EcuAbi.NOT_PERMITTED;
    }

    private static long invokeClock(HostFunction[] imports) {
        for (HostFunction f : imports) {
            if (f.name().equals("clock_us")) {
                return f.handle().apply(INSTANCE)[0];
            }
        }
        return Long.MAX_VALUE;
    }

    private static void assertIn(int status, int... allowed) {
        assertTrue(Arrays.stream(allowed).anyMatch(a -> a == status), "status " + status + " is not one of " + Arrays.toString(allowed));
    }

    private static void assertUnchangedOutside(byte[] before, byte[] after, int ptr, int written) {
        long from = Integer.toUnsignedLong(ptr);
        for (int i = 0; i < before.length; i++) {
            boolean inRange = written > 0 && i >= from && i < from + written;
            if (!inRange && before[i] != after[i]) {
                throw new AssertionError("host wrote byte " + i + " outside [" + from + ", " + (from + written) + ")");
            }
        }
    }

    private static void checkLine(String line) {
        LOGGED.incrementAndGet();
        assertTrue(line.codePointCount(0, line.length()) <= HostFunctions.MAX_LOG_LINE_BYTES, "log line too long");
        assertTrue(line.codePoints().noneMatch(cp -> Character.getType(cp) == Character.CONTROL
                || Character.getType(cp) == Character.FORMAT), "control character in a logged line");
    }

    /** Allocation of {@code action}, re-measured once when over the limit (a first run pays for class loading). */
    private static long allocation(Runnable action) {
        long before = allocatedBytes();
        action.run();
        long first = allocatedBytes() - before;
        if (first <= CALL_ALLOCATION_LIMIT) {
            return first;
        }
        before = allocatedBytes();
        action.run();
        return allocatedBytes() - before;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
