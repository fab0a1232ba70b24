package dev.wasmota.protocol.tls;

import dev.wasmota.signing.pki.TrustHierarchy;

import dev.wasmota.signing.pki.ClientKind;

import dev.wasmota.signing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Loopback TLS for the tests: a server that requires a client certificate, and a client that
 * checks the server's name the way Paho does. Certificates for handshakes are issued from the
 * real clock (JSSE checks validity against it), by a fixture OEM loaded with that clock.
 */
final class TlsTestSupport {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final int TIMEOUT_MS = 10_000;

    private TlsTestSupport() {
    }

    /** The OEM of {@code fx} (created in {@code fixtureDir}), issuing from now instead of the fixed clock. */
    static TrustHierarchy issuingNow(Path fixtureDir, long seed) {
        try {
            Clock now = Clock.fixed(Instant.now().minusSeconds(60), ZoneOffset.UTC);
            return TrustHierarchy.load(fixtureDir.resolve("oem"), now, Fixtures.seeded(seed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TlsMaterial broker(TrustHierarchy oem) {
        return TlsMaterial.of(oem.issueBroker(List.of("localhost"), List.of("127.0.0.1", "::1")), List.of(), oem.root().cert());
    }

    /** What the server saw of one connection. */
    record Accepted(String protocol, Optional<Map.Entry<ClientKind, String>> identity, boolean tcpNoDelay) {
    }

    /** Runs a server that requires client authentication and accepts one connection. */
    static final class Server implements AutoCloseable {
        private final ExecutorService executor = Executors.newSingleThreadExecutor();
        private final SSLServerSocket socket;
        private final Future<Accepted> accepted;

        Server(javax.net.ssl.SSLContext context) throws IOException {
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, LOOPBACK);
            socket.setNeedClientAuth(true);
            socket.setSoTimeout(TIMEOUT_MS);
            accepted = executor.submit(this::acceptOne);
        }

        int port() {
            return socket.getLocalPort();
        }

        private Accepted acceptOne() throws IOException {
            try (SSLSocket s = (SSLSocket) socket.accept()) {
                s.setSoTimeout(TIMEOUT_MS);
                s.startHandshake();
                int b = s.getInputStream().read();
                s.getOutputStream().write(b + 1);
                s.getOutputStream().flush();
                X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
                return new Accepted(s.getSession().getProtocol(), TlsMaterial.clientIdentity(peer), s.getTcpNoDelay());
            }
        }

        /** What the server saw; throws what the server's side of the handshake threw. */
        Accepted result() throws Exception {
            try {
                return accepted.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw (Exception) e.getCause();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            executor.shutdownNow();
        }
    }

    /** What the client saw of one connection. */
    record Connected(String protocol, boolean tcpNoDelay) {
    }

    /** Connects to 127.0.0.1 with HTTPS host name checking, sends one byte and reads the answer. */
    static Connected exchange(SocketFactory factory, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) factory.createSocket("127.0.0.1", port)) {
            s.setSoTimeout(TIMEOUT_MS);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            s.getOutputStream().write(41);
            s.getOutputStream().flush();
            int echo = s.getInputStream().read();
            if (echo != 42) {
                throw new IOException("server answered " + echo);
            }
            return new Connected(s.getSession().getProtocol(), s.getTcpNoDelay());
        }
    }
}
