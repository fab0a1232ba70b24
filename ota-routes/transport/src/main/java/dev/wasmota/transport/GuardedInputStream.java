package dev.wasmota.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A socket's input as Paho reads it, timed packet by packet ({@link PacketGuard}): each read
 * checks the current packet's deadline, and the shared {@link PacketWatchdog} checks streams that
 * are stalled in a read. A breach, a malformed fixed header or a packet over the size limit closes
 * the connection; every read after that throws an {@link IOException} naming the reason.
 */
final class GuardedInputStream extends InputStream implements MqttFrameTracker.Events {
    private static final System.Logger LOG = System.getLogger(GuardedInputStream.class.getName());

    private final InputStream in;
    private final PacketGuard guard;
    private final long maxPacketBytes;
    private final PacketWatchdog watchdog;
    private final Closeable connection;
    private final String peer;
    private final MqttFrameTracker tracker = new MqttFrameTracker(this);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean inPacket;
    private volatile int firstByte;
    private volatile long startedAt;
    private volatile long deadline;
    private volatile long packetBytes;
    private volatile long received;

    GuardedInputStream(InputStream in, PacketGuard guard, long maxPacketBytes, PacketWatchdog watchdog, Closeable connection,
                       String peer) {
        this.in = in;
        this.guard = guard;
        this.maxPacketBytes = maxPacketBytes;
        this.watchdog = watchdog;
        this.connection = connection;
        this.peer = peer;
        watchdog.register(this);
    }

    @Override
    public int read() throws IOException {
        failIfFailed();
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            throw translated(e);
        }
        if (b < 0) {
            watchdog.unregister(this);
            failIfFailed(); // closed by the guard (a TLS socket then reads as ended): say why
            return b;
        }
        try {
            tracker.consume(b);
        } catch (MqttFrameTracker.MalformedPacketException e) {
            throw fail("malformed MQTT packet from " + peer + ": " + e.getMessage(), null);
        }
        afterRead();
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        failIfFailed();
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw translated(e);
        }
        if (n < 0) {
            watchdog.unregister(this);
            failIfFailed(); // closed by the guard (a TLS socket then reads as ended): say why
            return n;
        }
        try {
            tracker.consume(b, off, n);
        } catch (MqttFrameTracker.MalformedPacketException e) {
            throw fail("malformed MQTT packet from " + peer + ": " + e.getMessage(), null);
        }
        afterRead();
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        int got = scratch.length == 0 ? 0 : read(scratch, 0, scratch.length);
        return Math.max(got, 0);
    }

    @Override
    public int available() throws IOException {
        failIfFailed();
        return in.available();
    }

    @Override
    public void close() throws IOException {
        watchdog.unregister(this);
        in.close();
    }

    /** The reason the connection was dropped, if it was. */
    String failure() {
        return failure.get();
    }

    /** Whether the packet being received is past its deadline at {@code now} (cheap; for the watchdog's scan). */
    boolean overdue(long now) {
        return inPacket && now - deadline > 0 && failure.get() == null;
    }

    /** Drops the connection if the packet being received is past its deadline at {@code now}. */
    void breach(long now) {
        if (overdue(now)) {
            fail(null, slowRetrieval(now));
        }
    }

    /** Stops watching: the socket was closed. */
    void release() {
        watchdog.unregister(this);
    }

    @Override
    public void packetStarted(int first) {
        firstByte = first;
        packetBytes = -1;
        startedAt = watchdog.now();
        deadline = startedAt + guard.allowanceNanos(0);
        inPacket = true;
    }

    @Override
    public void lengthKnown(long remainingLength) throws IOException {
        if (remainingLength > maxPacketBytes) {
            throw fail("MQTT " + SlowRetrieval.typeOf(firstByte) + " of " + remainingLength + " bytes from " + peer
                    + " is over the limit of " + maxPacketBytes + " bytes", null);
        }
        packetBytes = remainingLength;
        deadline = startedAt + guard.allowanceNanos(remainingLength);
    }

    @Override
    public void packetCompleted() throws IOException {
        received = tracker.packetBytesSoFar();
        checkDeadline();
        inPacket = false;
    }

    private void afterRead() throws IOException {
        received = tracker.packetBytesSoFar();
        if (inPacket) {
            checkDeadline();
        }
    }

    private void checkDeadline() throws IOException {
        long now = watchdog.now();
        if (now - deadline > 0) {
            throw fail(null, slowRetrieval(now));
        }
    }

    private SlowRetrieval slowRetrieval(long now) {
        long bytes = packetBytes;
        return new SlowRetrieval(peer, SlowRetrieval.typeOf(firstByte), bytes, received, Duration.ofNanos(now - startedAt),
                Duration.ofNanos(guard.allowanceNanos(Math.max(bytes, 0))));
    }

    private void failIfFailed() throws IOException {
        String why = failure.get();
        if (why != null) {
            throw new IOException(why);
        }
    }

    private IOException translated(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return e;
        }
        String why = failure.get();
        if (why != null) {
            return new IOException(why, e);
        }
        watchdog.unregister(this);
        return e;
    }

    /** Records the first failure, closes the connection and tells the listener of a slow retrieval. */
    private IOException fail(String reason, SlowRetrieval event) {
        String why = event == null ? reason : event.reason();
        if (failure.compareAndSet(null, why)) {
            watchdog.unregister(this);
            LOG.log(System.Logger.Level.WARNING, "dropping the MQTT connection: " + why);
            try {
                connection.close();
            } catch (IOException | RuntimeException ignored) {
                // the reader sees the failure either way
            }
            if (event != null) {
                notifyListener(event);
            }
        }
        return new IOException(failure.get());
    }

    private void notifyListener(SlowRetrieval event) {
        try {
            guard.listener().slowRetrieval(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "slow-retrieval listener failed: " + e);
        }
    }
}
