package dev.wasmota.transport;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/** Wraps sockets so their input is guarded: one {@link PacketGuard}, size limit and watchdog for all of a factory's sockets. */
final class SocketGuard {
    private final PacketGuard guard;
    private final long maxPacketBytes;
    private final PacketWatchdog watchdog;

    SocketGuard(PacketGuard guard, long maxPacketBytes, PacketWatchdog watchdog) {
        this.guard = guard;
        this.maxPacketBytes = maxPacketBytes;
        this.watchdog = watchdog;
    }

    /** {@code s} with a guarded input; a TLS socket stays an {@link SSLSocket}. */
    Socket wrap(Socket s) {
        return s instanceof SSLSocket ssl ? new GuardedSslSocket(ssl, this) : new GuardedSocket(s, this);
    }

    /** The guarded input of the connected socket {@code s}, watched until it is closed. */
    GuardedInputStream stream(Socket s) throws IOException {
        return new GuardedInputStream(s.getInputStream(), guard, maxPacketBytes, watchdog, s,
                String.valueOf(s.getRemoteSocketAddress()));
    }
}
