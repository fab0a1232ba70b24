package dev.wasmota.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sockets with {@code TCP_NODELAY} for MQTT clients: Paho never sets it, and without it Nagle's
 * algorithm with the peer's delayed acknowledgements holds each small packet back for about
 * 40 ms (NOTES.md). An instance makes plain TCP sockets; {@link #tls} makes TLS sockets that speak
 * only TLS 1.3 or 1.2 (Paho requires an {@link SSLSocketFactory} for {@code ssl://}).
 */
public final class NoDelaySocketFactory extends SocketFactory {
    static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** TLS sockets from {@code context} with {@code TCP_NODELAY} and TLS 1.3 or 1.2 only. */
    public static SSLSocketFactory tls(SSLContext context) {
        return new Tls(context.getSocketFactory());
    }

    @Override
    public Socket createSocket() throws IOException {
        return configure(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return configure(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configure(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return configure(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return configure(new Socket(address, port, localAddress, localPort));
    }

    private static Socket configure(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        if (socket instanceof SSLSocket ssl) {
            ssl.setEnabledProtocols(TLS_PROTOCOLS);
        }
        return socket;
    }

    /** The TLS variant: every socket the delegate makes, configured as above. */
    private static final class Tls extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        Tls(SSLSocketFactory delegate) {
            this.delegate = delegate;
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
            return configure(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return configure(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return configure(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            s.setTcpNoDelay(true);
            return configure(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            s.setTcpNoDelay(true);
            return configure(delegate.createSocket(s, consumed, autoClose));
        }
    }
}
