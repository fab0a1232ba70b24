package dev.wasmota.transport;

import java.io.IOException;

/**
 * Follows MQTT packet boundaries in a received byte stream without keeping any payload: the
 * fixed header's first byte, the remaining length (a variable byte integer of at most 4 bytes,
 * minimally encoded), then that many bytes. It tells its {@link Events} when a packet starts, how
 * long it is and when it is complete, so a guard can time each packet.
 */
final class MqttFrameTracker {
    /** What the tracker reports, in stream order, on the reading thread. */
    interface Events {
        void packetStarted(int firstByte) throws IOException;

        void lengthKnown(long remainingLength) throws IOException;

        void packetCompleted() throws IOException;
    }

    /** The stream is not MQTT: the connection cannot be followed any further. */
    static final class MalformedPacketException extends IOException {
        MalformedPacketException(String message) {
            super(message);
        }
    }

    static final int MAX_LENGTH_BYTES = 4;
    private static final int IDLE = 0;
    private static final int LENGTH = 1;
    private static final int BODY = 2;

    private final Events events;
    private int phase = IDLE;
    private int lengthBytes;
    private long length;
    private long left;

    MqttFrameTracker(Events events) {
        this.events = events;
    }

    /** Follows {@code len} bytes at {@code b[off]}, which may hold the ends and starts of several packets. */
    void consume(byte[] b, int off, int len) throws IOException {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (phase == BODY) {
                int take = (int) Math.min(left, end - i);
                left -= take;
                i += take;
                if (left == 0) {
                    complete();
                }
            } else {
                header(b[i++] & 0xff);
            }
        }
    }

    /** Follows one byte ({@code 0..255}). */
    void consume(int b) throws IOException {
        if (phase == BODY) {
            if (--left == 0) {
                complete();
            }
        } else {
            header(b);
        }
    }

    /** Whether a packet has started and is not complete yet. */
    boolean inPacket() {
        return phase != IDLE;
    }

    /** Bytes of the current packet received so far (fixed header included), 0 between packets. */
    long packetBytesSoFar() {
        return phase == IDLE ? 0 : 1 + lengthBytes + (phase == BODY ? length - left : 0);
    }

    private void header(int b) throws IOException {
        if (phase == IDLE) {
            phase = LENGTH;
            lengthBytes = 0;
            length = 0;
            events.packetStarted(b);
            return;
        }
        length |= (long) (b & 0x7f) << (7 * lengthBytes);
        lengthBytes++;
        if ((b & 0x80) != 0) {
            if (lengthBytes == MAX_LENGTH_BYTES) {
                throw new MalformedPacketException("remaining length runs past " + MAX_LENGTH_BYTES + " bytes");
            }
            return;
        }
        if (b == 0 && lengthBytes > 1) {
            throw new MalformedPacketException("remaining length is not minimally encoded (" + lengthBytes + " bytes for 0)");
        }
        left = length;
        phase = BODY;
        events.lengthKnown(length);
        if (left == 0) {
            complete();
        }
    }

    private void complete() throws IOException {
        phase = IDLE;
        events.packetCompleted();
    }
}
