package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Memory;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.EcuAbi;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host ABI against a real instance's memory (one 64 KiB page of healthy_v1). */
class HostFunctionsTest {
    private static final int PAGE = 65536;

    private final AtomicLong micros = new AtomicLong(1_000_000);
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private HostEnvironment env;
    private Memory memory;

    @BeforeEach
    void setUp() {
        env = HostEnvironment.simulated().withClock(micros::get).withLog((id, line) -> lines.add(line));
        CompiledModule compiled = Corpus.compiled("healthy_v1", "log,clock,can.read:120,can.write:220");
        memory = compiled.instantiate(new HostFunctions("m", compiled.capabilities(), env).importValues(),
                new ModuleLimits(1, 1_000, 10)).memory();
    }

    private HostFunctions host(String capabilities) {
        return new HostFunctions("m", CapabilitySet.parse(capabilities), env);
    }

    @Test
    void outOfBoundsPointerIsRefusedAndMemoryLeftUntouched() {
        env.can().set(0x120, 42);
        HostFunctions host = host("can.read:120");
        byte[] before = memory.readBytes(0, PAGE);

        assertEquals(EcuAbi.OUT_OF_BOUNDS, host.canRead(memory, 0x120, PAGE - 7));
        assertEquals(EcuAbi.OUT_OF_BOUNDS, host.canRead(memory, 0x120, PAGE));
        assertEquals(EcuAbi.OUT_OF_BOUNDS, host.canRead(memory, 0x120, -1));
        assertEquals(EcuAbi.OUT_OF_BOUNDS, host.canRead(memory, 0x120, Integer.MIN_VALUE));
        assertArrayEquals(before, memory.readBytes(0, PAGE));

        assertEquals(0, host.canRead(memory, 0x120, PAGE - 8));
        assertEquals(42, memory.readLong(PAGE - 8), "the last 8 bytes are in bounds");
    }

    @Test
    void canIdsOutsideTheGrantAreNotPermitted() {
        env.can().set(0x121, 7);
        HostFunctions host = host("can.read:120,can.write:220");

        assertEquals(EcuAbi.NOT_PERMITTED, host.canRead(memory, 0x121, 0));
        assertEquals(EcuAbi.NOT_PERMITTED, host.canRead(memory, -1, 0));
        assertEquals(EcuAbi.NOT_PERMITTED, host.canWrite(0x221, 1));
        assertEquals(EcuAbi.NOT_PERMITTED, host.canWrite(0x120, 1), "read permission is not write permission");
        assertEquals(0, env.can().writeCount());
        assertEquals(0, memory.readLong(0));
    }

    @Test
    void unknownSignalIsNoSuchDeviceAndBusErrorsAreReported() {
        HostFunctions host = host("can.read:120,can.write:220");
        assertEquals(EcuAbi.NO_SUCH_DEVICE, host.canRead(memory, 0x120, 0));

        env.can().set(0x120, 5);
        env.can().injectBusError(true);
        assertEquals(EcuAbi.BUS_ERROR, host.canRead(memory, 0x120, 0));
        assertEquals(EcuAbi.BUS_ERROR, host.canWrite(0x220, 1));
        env.can().injectBusError(false);
        assertEquals(0, host.canWrite(0x220, -9));
        assertEquals(List.of(new SimulatedCanBus.Frame(0x220, -9)), env.can().writes());
    }

    @Test
    void i2cReachesOnlyTheGrantedDeviceWithinBounds() {
        env.i2c().attach(1, 0x50);
        env.i2c().attach(1, 0x51);
        HostFunctions host = host("i2c:1:50");
        memory.write(100, "ECU!".getBytes(StandardCharsets.US_ASCII));

        assertEquals(4, host.i2cWrite(memory, 1, 0x50, 8, 100, 4));
        assertEquals("ECU!", new String(Arrays.copyOfRange(env.i2c().registers(1, 0x50).orElseThrow(), 8, 12),
                StandardCharsets.US_ASCII));
        assertEquals(4, host.i2cRead(memory, 1, 0x50, 8, 200, 4));
        assertEquals("ECU!", memory.readString(200, 4));

        assertEquals(EcuAbi.NOT_PERMITTED, host.i2cWrite(memory, 1, 0x51, 0, 100, 4));
        assertEquals(EcuAbi.NOT_PERMITTED, host.i2cRead(memory, -1, 0x50, 0, 100, 4));
        assertEquals(EcuAbi.NOT_PERMITTED, host.i2cRead(memory, 1, 0x7FFF, 0, 100, 4));
        assertEquals(EcuAbi.OUT_OF_BOUNDS, host.i2cRead(memory, 1, 0x50, 0, PAGE - 2, 4));
        assertEquals(EcuAbi.OUT_OF_BOUNDS, host.i2cRead(memory, 1, 0x50, 0, 0, -1));
        assertEquals(EcuAbi.OUT_OF_BOUNDS, host.i2cRead(memory, 1, 0x50, 254, 0, 4), "past the register file");
        assertEquals(0, memory.readInt(PAGE - 4));

        env.i2c().injectBusError(1, true);
        assertEquals(EcuAbi.BUS_ERROR, host.i2cRead(memory, 1, 0x50, 0, 0, 1));
        env.i2c().detach(1, 0x50);
        assertEquals(EcuAbi.NO_SUCH_DEVICE, host.i2cRead(memory, 1, 0x50, 0, 0, 1));
    }

    @Test
    void logLinesAreBoundedSanitizedAndRateLimited() {
        HostFunctions host = host("log");
        byte[] line = ("hi\u001b[31m\u202e" + "x".repeat(400)).getBytes(StandardCharsets.UTF_8);
        memory.write(0, line);

        assertEquals(0, host.log(memory, 0, line.length));
        String logged = lines.get(0);
        assertTrue(logged.startsWith("hi\ufffd[31m\ufffd"), logged);
        assertTrue(logged.getBytes(StandardCharsets.UTF_8).length <= HostFunctions.MAX_LOG_LINE_BYTES + 8, logged);
        assertEquals(EcuAbi.OUT_OF_BOUNDS, host.log(memory, PAGE - 1, 2));

        for (int i = 1; i < HostFunctions.LOG_BURST; i++) {
            assertEquals(0, host.log(memory, 0, 2));
        }
        assertEquals(EcuAbi.NOT_PERMITTED, host.log(memory, 0, 2), "over the burst");
        micros.addAndGet(1_000_000 / HostFunctions.LOG_LINES_PER_SECOND);
        assertEquals(0, host.log(memory, 0, 2), "one line's worth of time later");
        assertEquals(HostFunctions.LOG_BURST + 1, lines.size());
        assertEquals(2, host.droppedLogLines());
    }

    @Test
    void clockIsTheInjectedOneAndNeverGoesBack() {
        HostFunctions host = host("clock");
        assertEquals(1_000_000, host.clockMicros());
        micros.set(500);
        assertEquals(1_000_000, host.clockMicros());
        micros.set(2_000_000);
        assertEquals(2_000_000, host.clockMicros());
    }

    @Test
    void linksOnlyTheGrantedFunctions() {
        ImportValues granted = host("log,can.read:120").importValues();
        assertEquals(List.of("can_read", "log"),
                Arrays.stream(granted.functions()).map(f -> f.name()).sorted().toList());
        assertEquals(0, host("").importValues().functionCount());
    }
}
