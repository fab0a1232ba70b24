package dev.wasmota.protocol.tls;

import dev.wasmota.transport.NoDelaySocketFactory;

import dev.wasmota.signing.pki.TrustHierarchy;

import dev.wasmota.signing.pki.ClientKind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmota.signing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PEM files as OpenSSL 3 and Mosquitto read them: certificate verification, a TLS 1.3
 * handshake with client authentication against {@code openssl s_server}, and an MQTT CONNECT to
 * Mosquitto over TLS. Each part runs only where its binary is installed.
 */
class TlsOpenSslIT {
    static final Path OPENSSL = Path.of("/usr/bin/openssl");
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final long WAIT_SECONDS = 10;

    @TempDir
    static Path dir;
    static TlsMaterial broker;
    static TlsMaterial vehicle;
    static TlsMaterial foreignVehicle;

    @BeforeAll
    static void setUp() {
        new Fixtures(dir.resolve("a"), 1);
        new Fixtures(dir.resolve("b"), 2);
        TrustHierarchy oem = TlsTestSupport.issuingNow(dir.resolve("a"), 81);
        TrustHierarchy other = TlsTestSupport.issuingNow(dir.resolve("b"), 82);
        broker = TlsTestSupport.broker(oem);
        vehicle = TlsMaterial.of(oem.issueClient(ClientKind.VEHICLE, "VIN123"), List.of(), oem.root().cert());
        foreignVehicle = TlsMaterial.of(other.issueClient(ClientKind.VEHICLE, "VIN123"), List.of(), oem.root().cert());
        broker.writePem(dir.resolve("broker"));
        vehicle.writePem(dir.resolve("vehicle"));
        foreignVehicle.writePem(dir.resolve("foreign"));
    }

    @Test
    void opensslVerifiesTheCertificatesForTheirPurpose() throws Exception {
        assumeTrue(Files.isExecutable(OPENSSL), "no " + OPENSSL);
        assertEquals(0, run(OPENSSL.toString(), "verify", "-CAfile", pem("vehicle", "ca"), "-purpose", "sslclient", pem("vehicle", "cert")));
        assertEquals(0, run(OPENSSL.toString(), "verify", "-CAfile", pem("broker", "ca"), "-purpose", "sslserver", pem("broker", "cert")));
        assertNotEquals(0, run(OPENSSL.toString(), "verify", "-CAfile", pem("vehicle", "ca"), "-purpose", "sslserver", pem("vehicle", "cert")));
        assertNotEquals(0, run(OPENSSL.toString(), "verify", "-CAfile", pem("foreign", "ca"), "-purpose", "sslclient", pem("foreign", "cert")));
        assertEquals(0, run(OPENSSL.toString(), "pkey", "-in", pem("vehicle", "key"), "-noout"));
    }

    @Test
    void jsseClientHandshakesWithOpensslServerRequiringAClientCertificate() throws Exception {
        assumeTrue(Files.isExecutable(OPENSSL), "no " + OPENSSL);
        Process server = start(OPENSSL.toString(), "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-cert", pem("broker", "cert"), "-key", pem("broker", "key"), "-CAfile", pem("broker", "ca"),
                "-Verify", "2", "-verify_return_error");
        try {
            Output out = Output.of(server);
            Matcher accept = out.await(Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)"));
            try (SSLSocket s = connect(vehicle, Integer.parseInt(accept.group(1)))) {
                s.startHandshake();
                assertEquals("TLSv1.3", s.getSession().getProtocol());
                s.getOutputStream().write("ping-from-jsse\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                out.await(Pattern.compile("ping-from-jsse"));
            }
            assertTrue(out.text().contains("CN = vehicle/VIN123"), out.text());
            assertTrue(out.text().contains("Peer signature type: ed25519"), out.text());
        } finally {
            server.destroy();
        }
    }

    @Test
    void mosquittoAcceptsTheVehicleAndNamesItByTheCertificate() throws Exception {
        assumeTrue(Files.isExecutable(MOSQUITTO), "no " + MOSQUITTO);
        int port = freePort();
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "per_listener_settings false", "allow_anonymous false", "user " + System.getProperty("user.name"),
                "listener " + port + " 127.0.0.1", "cafile " + pem("broker", "ca"), "certfile " + pem("broker", "cert"),
                "keyfile " + pem("broker", "key"), "require_certificate true", "use_identity_as_username true", ""));
        Process mosquitto = start(MOSQUITTO.toString(), "-c", conf.toString(), "-v");
        try {
            Output out = Output.of(mosquitto);
            out.await(Pattern.compile("mosquitto version \\S+ running"));
            assertArrayEquals(new byte[] {0x20, 2, 0, 0}, mqttConnect(vehicle, port), out.text());
            out.await(Pattern.compile("u'vehicle/VIN123'"));
            assertThrows(IOException.class, () -> mqttConnect(foreignVehicle, port));
        } finally {
            mosquitto.destroy();
            mosquitto.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Sends an MQTT 3.1.1 CONNECT for client id "a" and returns the 4-byte CONNACK. */
    private static byte[] mqttConnect(TlsMaterial client, int port) throws IOException {
        try (SSLSocket s = connect(client, port)) {
            OutputStream o = s.getOutputStream();
            o.write(new byte[] {0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 1, 'a'});
            o.flush();
            byte[] connack = s.getInputStream().readNBytes(4);
            if (connack.length < 4) {
                throw new IOException("connection closed after " + connack.length + " bytes");
            }
            return connack;
        }
    }

    private static SSLSocket connect(TlsMaterial client, int port) throws IOException {
        SSLSocket s = (SSLSocket) NoDelaySocketFactory.tls(client.sslContext()).createSocket("127.0.0.1", port);
        s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        return s;
    }

    private static String pem(String party, String name) {
        return dir.resolve(party).resolve(name + ".pem").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process start(String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), String.join(" ", command));
        return p.exitValue();
    }

    /** A process's combined output, collected by a reader thread. */
    private static final class Output {
        private final StringBuilder text = new StringBuilder();

        static Output of(Process p) {
            Output out = new Output();
            Thread reader = new Thread(() -> out.pump(p.getInputStream()), "process-output");
            reader.setDaemon(true);
            reader.start();
            return out;
        }

        private void pump(InputStream in) {
            byte[] buf = new byte[4096];
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    synchronized (this) {
                        text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                        notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }

        synchronized String text() {
            return text.toString();
        }

        synchronized Matcher await(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            List<String> seen = new ArrayList<>();
            while (true) {
                Matcher m = pattern.matcher(text);
                if (m.find()) {
                    return m;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    seen.add(text.toString());
                    throw new AssertionError("no '" + pattern + "' in output: " + seen);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
