package dev.wasmota.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The guarded stream on a scripted input and a fake ticker: packets read the way Paho reads them
 * (first byte, remaining length byte by byte, then the body in bulk).
 */
class GuardedInputStreamTest {
    /** Starts near the end of the long range, so deadlines wrap around as {@link System#nanoTime()} may. */
    static final long T0 = Long.MAX_VALUE - 3_000_000_000L;
    static final long MS = 1_000_000L;
    static final int MAX_PACKET = 10_000;

    final AtomicLong ticker = new AtomicLong(T0);
    final PacketWatchdog watchdog = new PacketWatchdog(ticker::get, Runnable::run);
    final List<SlowRetrieval> breaches = new ArrayList<>();
    final PacketGuard guard = new PacketGuard(Duration.ofSeconds(2), 1000, breaches::add);
    final Script input = new Script();
    boolean closed;
    final GuardedInputStream in = new GuardedInputStream(input, guard, MAX_PACKET, watchdog, () -> closed = true,
            "/127.0.0.1:1883");

    /** An input that serves byte chunks, advances the ticker or throws, step by step. */
    final class Script extends InputStream {
        private final Deque<Object> steps = new ArrayDeque<>();

        Script chunk(byte[] b) {
            steps.add(b);
            return this;
        }

        Script waitMs(long ms) {
            steps.add(ms);
            return this;
        }

        Script fail(IOException e) {
            steps.add(e);
            return this;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (!steps.isEmpty() && !(steps.peek() instanceof byte[])) {
                Object step = steps.poll();
                if (step instanceof Long ms) {
                    ticker.addAndGet(ms * MS);
                } else {
                    throw (IOException) step;
                }
            }
            byte[] chunk = (byte[]) steps.poll();
            if (chunk == null) {
                return -1;
            }
            int n = Math.min(len, chunk.length);
            System.arraycopy(chunk, 0, b, off, n);
            if (n < chunk.length) {
                steps.addFirst(Arrays.copyOfRange(chunk, n, chunk.length));
            }
            return n;
        }
    }

    static byte[] publishHeader(int remainingLength) {
        return remainingLength < 128 ? new byte[] {0x30, (byte) remainingLength}
                : new byte[] {0x30, (byte) (0x80 | (remainingLength & 0x7f)), (byte) (remainingLength >> 7)};
    }

    static byte[] body(int n, int from) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) from);
        return b;
    }

    /** Reads one packet the way Paho's MqttInputStream does; returns its body. */
    static byte[] readPacket(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        d.readUnsignedByte();
        long length = 0;
        int shift = 0;
        int b;
        do {
            b = d.readUnsignedByte();
            length |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[(int) length];
        d.readFully(body);
        return body;
    }

    @Test
    void letsAPacketThatArrivesInTimeThrough() throws IOException {
        input.chunk(publishHeader(1000)).waitMs(500).chunk(body(400, 1)).waitMs(2000).chunk(body(600, 1));
        assertArrayEquals(body(1000, 1), readPacket(in));
        assertFalse(closed);
        assertNull(in.failure());
        assertTrue(breaches.isEmpty());
    }

    @Test
    void allowsExactlyTheBasePlusTheSizeAtTheMinimumRate() throws IOException {
        input.chunk(publishHeader(1000)).waitMs(2999).chunk(body(999, 2)).waitMs(1).chunk(body(1, 2));
        assertArrayEquals(body(1000, 2), readPacket(in), "3 s for 1000 bytes at 1000 B/s after 2 s");
        assertFalse(closed);
    }

    @Test
    void dropsTheConnectionWhenAPacketTricklesPastItsDeadline() throws IOException {
        input.chunk(publishHeader(1000)).chunk(body(100, 3));
        for (int i = 0; i < 40; i++) {
            input.waitMs(100).chunk(body(1, 3));
        }
        IOException e = assertThrows(IOException.class, () -> readPacket(in));
        assertTrue(e.getMessage().startsWith("slow retrieval: MQTT PUBLISH of 1000 bytes from /127.0.0.1:1883"), e.getMessage());
        assertTrue(closed, "the socket is closed, so Paho reconnects");
        assertEquals(1, breaches.size());
        SlowRetrieval s = breaches.get(0);
        assertEquals("PUBLISH", s.packetType());
        assertEquals(1000, s.packetBytes());
        assertEquals(Duration.ofSeconds(3), s.allowed());
        assertEquals(Duration.ofMillis(3000 + 100), s.elapsed());
        assertEquals(3 + 100 + 31, s.receivedBytes(), "the byte that came too late included");
        IOException again = assertThrows(IOException.class, in::read);
        assertEquals(e.getMessage(), again.getMessage());
        assertEquals(1, breaches.size(), "reported once");
    }

    @Test
    void idleTimeBetweenPacketsIsNotLimited() throws IOException {
        input.chunk(new byte[] {(byte) 0xd0, 0}).waitMs(3_600_000).chunk(publishHeader(10)).chunk(body(10, 4));
        assertArrayEquals(new byte[0], readPacket(in));
        ticker.addAndGet(3_600_000 * MS);
        watchdog.scan();
        assertFalse(closed);
        assertArrayEquals(body(10, 4), readPacket(in));
        assertFalse(closed);
        assertTrue(breaches.isEmpty());
    }

    @Test
    void watchdogDropsAReaderThatStalledMidPacket() throws IOException {
        input.chunk(publishHeader(1000)).chunk(body(10, 5));
        DataInputStream d = new DataInputStream(in);
        d.readFully(new byte[3 + 10]);
        ticker.addAndGet(2999 * MS);
        watchdog.scan();
        assertFalse(closed, "still within 3 s");
        ticker.addAndGet(2 * MS);
        watchdog.scan();
        assertTrue(closed);
        assertEquals(1, breaches.size());
        assertEquals(13, breaches.get(0).receivedBytes());
        assertEquals(0, watchdog.watched(), "a dropped connection is no longer watched");
        watchdog.scan();
        assertEquals(1, breaches.size());
        IOException e = assertThrows(IOException.class, in::read);
        assertTrue(e.getMessage().contains("slow retrieval"), e.getMessage());
    }

    @Test
    void aHeaderCutShortIsTimedByTheBaseAlone() throws IOException {
        input.chunk(new byte[] {0x30, (byte) 0x80});
        in.read();
        in.read();
        ticker.addAndGet(2001 * MS);
        watchdog.scan();
        assertTrue(closed);
        assertEquals(-1, breaches.get(0).packetBytes());
        assertTrue(breaches.get(0).reason().contains("MQTT PUBLISH header from"), breaches.get(0).reason());
    }

    @Test
    void closesOnAMalformedRemainingLengthWithoutCallingItSlow() {
        input.chunk(new byte[] {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
        IOException e = assertThrows(IOException.class, () -> readPacket(in));
        assertTrue(e.getMessage().startsWith("malformed MQTT packet from /127.0.0.1:1883: remaining length"), e.getMessage());
        assertTrue(closed);
        assertTrue(breaches.isEmpty());
    }

    @Test
    void refusesAPacketOverTheSizeLimitBeforeItsBodyIsRead() {
        input.chunk(publishHeader(MAX_PACKET + 1)).chunk(body(100, 6));
        IOException e = assertThrows(IOException.class, () -> readPacket(in));
        assertTrue(e.getMessage().contains("of 10001 bytes from /127.0.0.1:1883 is over the limit of 10000"), e.getMessage());
        assertTrue(closed);
    }

    @Test
    void passesPahosReadTimeoutsOnWithoutLosingItsPlace() throws IOException {
        SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
        input.chunk(publishHeader(20)).chunk(body(5, 7)).fail(timeout).chunk(body(15, 7));
        byte[] first = new byte[2 + 5];
        new DataInputStream(in).readFully(first);
        assertSame(timeout, assertThrows(SocketTimeoutException.class, () -> in.read(new byte[15], 0, 15)));
        assertFalse(closed);
        byte[] rest = new byte[15];
        new DataInputStream(in).readFully(rest);
        assertArrayEquals(body(15, 7), rest);
        assertEquals(1, watchdog.watched());
    }

    @Test
    void stopsWatchingAtTheEndOfTheStreamOrOnClose() throws IOException {
        assertEquals(1, watchdog.watched());
        assertEquals(-1, in.read());
        assertEquals(0, watchdog.watched());
        GuardedInputStream other = new GuardedInputStream(new Script(), guard, MAX_PACKET, watchdog, () -> { }, "p");
        assertEquals(1, watchdog.watched());
        other.close();
        assertEquals(0, watchdog.watched());
    }

    @Test
    void keepsItsPlaceWhenSkipping() throws IOException {
        input.chunk(publishHeader(5)).chunk(body(5, 8)).chunk(publishHeader(3)).chunk(body(3, 9));
        assertEquals(2, in.skip(2));
        assertEquals(5, in.skip(100));
        assertArrayEquals(body(3, 9), readPacket(in));
        assertFalse(closed);
    }
}
