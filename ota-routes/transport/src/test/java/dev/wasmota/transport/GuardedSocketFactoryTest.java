package dev.wasmota.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.protocol.tls.TlsMaterial;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard on real loopback sockets, plain and TLS: the factory keeps the socket types Paho
 * expects, and one watchdog scan unblocks a reader stuck in a blocking read mid-packet.
 */
class GuardedSocketFactoryTest {
    static final PacketGuard FAST = new PacketGuard(Duration.ofMillis(200), 1_000_000, SlowRetrieval.Listener.NONE);

    @TempDir
    Path dir;

    @Test
    void keepsATlsFactoryATlsFactoryAndLeavesAnUnguardedOneAlone() throws IOException {
        SocketFactory plain = new NoDelaySocketFactory();
        SSLSocketFactory tls = (SSLSocketFactory) SSLSocketFactory.getDefault();
        assertInstanceOf(GuardedSocketFactory.class, GuardedSocketFactory.wrap(plain, FAST, 1024));
        SocketFactory guardedTls = GuardedSocketFactory.wrap(tls, FAST, 1024);
        assertInstanceOf(SSLSocketFactory.class, guardedTls);
        try (Socket s = guardedTls.createSocket()) {
            assertInstanceOf(SSLSocket.class, s, "Paho casts an ssl:// socket to SSLSocket");
        }
        try (Socket s = GuardedSocketFactory.wrap(plain, FAST, 1024).createSocket()) {
            assertTrue(s.getTcpNoDelay(), "the wrapped factory's settings are kept");
        }
        assertSame(plain, GuardedSocketFactory.wrap(plain, PacketGuard.OFF, 1024));
    }

    @Test
    void guardsEveryClientConnectedThroughTheSettings() {
        MqttSettings plain = MqttSettings.of("tcp://localhost:1883");
        assertInstanceOf(GuardedSocketFactory.class, MqttClients.options(plain, false).getSocketFactory());
        MqttSettings tls = MqttSettings.of("ssl://localhost:8883", SSLSocketFactory.getDefault());
        SocketFactory f = MqttClients.options(tls, true).getSocketFactory();
        assertInstanceOf(GuardedSocketFactory.Ssl.class, f);
        MqttSettings off = plain.withPacketGuard(PacketGuard.OFF);
        assertSame(off.socketFactory().orElseThrow(), MqttClients.options(off, false).getSocketFactory());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aWatchdogScanUnblocksAReaderStalledMidPacket(boolean tls) throws Exception {
        Fixtures fx = tls ? new Fixtures(dir) : null;
        List<SlowRetrieval> breaches = new CopyOnWriteArrayList<>();
        PacketWatchdog watchdog = new PacketWatchdog(System::nanoTime, Runnable::run);
        SocketFactory client = tls ? NoDelaySocketFactory.tls(TlsMaterial.of(fx.oem.issueClient(ClientKind.VEHICLE, "veh-1"),
                List.of(), fx.oem.root().cert()).sslContext()) : new NoDelaySocketFactory();
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocket server = server(fx)) {
            CompletableFuture.runAsync(() -> serveAStalledPublish(server, done));
            SocketFactory guarded = GuardedSocketFactory.wrap(client, FAST.withListener(breaches::add), 10_000, watchdog);
            try (Socket s = guarded.createSocket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
                if (s instanceof SSLSocket ssl) {
                    ssl.startHandshake();
                }
                GuardedInputStream in = (GuardedInputStream) s.getInputStream();
                CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> readUntilFailure(s));
                long until = System.nanoTime() + 10_000_000_000L;
                while (!in.overdue(System.nanoTime()) && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                Thread.sleep(100);
                assertFalse(reader.isDone(), "blocked in a read with no timeout, past the packet's deadline");
                long t = System.nanoTime();
                watchdog.scan();
                String why = reader.get(5, TimeUnit.SECONDS);
                assertTrue(why.startsWith("slow retrieval: MQTT PUBLISH of 1000 bytes"), why);
                assertTrue(System.nanoTime() - t < 2_000_000_000L, "unblocked at once");
                assertTrue(s.isClosed());
                assertEquals(1, breaches.size());
                assertEquals(3 + 10, breaches.get(0).receivedBytes());
            } finally {
                done.countDown();
            }
        }
    }

    private static ServerSocket server(Fixtures fx) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        if (fx == null) {
            return new ServerSocket(0, 1, lo);
        }
        TlsMaterial broker = TlsMaterial.of(fx.oem.issueBroker(List.of("localhost"), List.of("127.0.0.1")), List.of(),
                fx.oem.root().cert());
        return (SSLServerSocket) broker.sslContext().getServerSocketFactory().createServerSocket(0, 1, lo);
    }

    /** Sends a PUBLISH header announcing 1000 bytes and 10 of them, then holds the connection open. */
    private static void serveAStalledPublish(ServerSocket server, CountDownLatch done) {
        try (Socket s = server.accept()) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x30, (byte) 0xe8, 0x07});
            out.write(new byte[10]);
            out.flush();
            done.await(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // the test fails on its own
        }
    }

    private static String readUntilFailure(Socket s) {
        try {
            var in = s.getInputStream();
            while (in.read(new byte[64]) >= 0) {
                // keep reading
            }
            return "end of stream";
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }
}
