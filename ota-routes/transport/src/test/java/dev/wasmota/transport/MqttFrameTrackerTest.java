package dev.wasmota.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MqttFrameTrackerTest {
    /** Every event as a line: "start 30", "length 200", "end". */
    static final class Recorder implements MqttFrameTracker.Events {
        final List<String> events = new ArrayList<>();

        @Override
        public void packetStarted(int firstByte) {
            events.add("start " + Integer.toHexString(firstByte));
        }

        @Override
        public void lengthKnown(long remainingLength) {
            events.add("length " + remainingLength);
        }

        @Override
        public void packetCompleted() {
            events.add("end");
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @ParameterizedTest
    @CsvSource({"00, 0", "7f, 127", "8001, 128", "ff7f, 16383", "808001, 16384", "ffff7f, 2097151",
        "80808001, 2097152", "ffffff7f, 268435455"})
    void decodesEveryLengthOfTheVariableByteInteger(String encoded, long length) throws IOException {
        Recorder r = new Recorder();
        MqttFrameTracker t = new MqttFrameTracker(r);
        t.consume(0x30);
        for (byte b : hex(encoded)) {
            t.consume(b & 0xff);
        }
        assertEquals("length " + length, r.events.get(1));
        assertEquals(length == 0 ? 3 : 2, r.events.size(), r.events::toString);
        assertEquals(length > 0, t.inPacket());
        assertEquals(length == 0 ? 0 : 1 + encoded.length() / 2, t.packetBytesSoFar());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffffffff", "80808080", "ffffff ff 01"})
    void refusesALengthOfMoreThanFourBytes(String encoded) {
        MqttFrameTracker t = new MqttFrameTracker(new Recorder());
        byte[] packet = hex("30" + encoded);
        IOException e = assertThrows(MqttFrameTracker.MalformedPacketException.class, () -> t.consume(packet, 0, packet.length));
        assertTrue(e.getMessage().contains("past 4 bytes"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8000", "808000", "80808000"})
    void refusesALengthThatIsNotMinimallyEncoded(String encoded) {
        MqttFrameTracker t = new MqttFrameTracker(new Recorder());
        byte[] packet = hex("30" + encoded);
        IOException e = assertThrows(MqttFrameTracker.MalformedPacketException.class, () -> t.consume(packet, 0, packet.length));
        assertTrue(e.getMessage().contains("minimally"), e.getMessage());
    }

    @Test
    void followsPacketsThatShareOneReadAndOneThatSpansReads() throws IOException {
        Recorder r = new Recorder();
        MqttFrameTracker t = new MqttFrameTracker(r);
        byte[] chunk = hex("d000" + "4002 0001" + "30 05 0001 41 42");
        t.consume(chunk, 0, chunk.length);
        assertEquals(List.of("start d0", "length 0", "end", "start 40", "length 2", "end", "start 30", "length 5"), r.events);
        assertTrue(t.inPacket());
        assertEquals(2 + 4, t.packetBytesSoFar());
        t.consume(hex("43"), 0, 1);
        assertEquals("end", r.events.get(r.events.size() - 1));
        assertFalse(t.inPacket());
        assertEquals(0, t.packetBytesSoFar());
    }

    @Test
    void countsABodyReadByteByByte() throws IOException {
        Recorder r = new Recorder();
        MqttFrameTracker t = new MqttFrameTracker(r);
        t.consume(0x30);
        t.consume(0x03);
        t.consume('a');
        t.consume('b');
        assertEquals(4, t.packetBytesSoFar());
        t.consume('c');
        assertEquals(List.of("start 30", "length 3", "end"), r.events);
    }
}
