package dev.wasmota.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The slow-retrieval guard for a party's MQTT connections: wraps its socket factory so every
 * socket's input follows MQTT packets and drops the connection when one is slower than its
 * {@link PacketGuard} allows (Paho then reconnects, and an unacknowledged QoS 1 message is
 * delivered again). {@link MqttClients} applies it to every client it connects.
 */
public final class GuardedSocketFactory extends SocketFactory {
    private final SocketFactory delegate;
    private final SocketGuard guard;

    private GuardedSocketFactory(SocketFactory delegate, SocketGuard guard) {
        this.delegate = delegate;
        this.guard = guard;
    }

    /**
     * {@code sockets} guarded by {@code guard}, refusing packets over {@code maxPacketBytes} before
     * Paho allocates for them; an {@link SSLSocketFactory} stays one. Unchanged when the guard is off.
     */
    public static SocketFactory wrap(SocketFactory sockets, PacketGuard guard, long maxPacketBytes) {
        return wrap(sockets, guard, maxPacketBytes, PacketWatchdog.shared());
    }

    static SocketFactory wrap(SocketFactory sockets, PacketGuard guard, long maxPacketBytes, PacketWatchdog watchdog) {
        if (!guard.enabled()) {
            return sockets;
        }
        SocketGuard g = new SocketGuard(guard, maxPacketBytes, watchdog);
        return sockets instanceof SSLSocketFactory ssl ? new Ssl(ssl, g) : new GuardedSocketFactory(sockets, g);
    }

    @Override
    public Socket createSocket() throws IOException {
        return guard.wrap(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return guard.wrap(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return guard.wrap(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return guard.wrap(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return guard.wrap(delegate.createSocket(address, port, localAddress, localPort));
    }

    /** The TLS form: Paho requires an {@link SSLSocketFactory} for {@code ssl://}. */
    static final class Ssl extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final SocketGuard guard;

        Ssl(SSLSocketFactory delegate, SocketGuard guard) {
            this.delegate = delegate;
            this.guard = guard;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return guard.wrap(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return guard.wrap(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return guard.wrap(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return guard.wrap(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return guard.wrap(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return guard.wrap(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return guard.wrap(delegate.createSocket(s, consumed, autoClose));
        }
    }
}
