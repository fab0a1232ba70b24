package dev.wasmota.cli.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.CredentialDir;
import dev.wasmota.signing.pki.TrustHierarchy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BrokerCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new BrokerCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void printsTheUrlAndStopsWithExitZeroWhenInterrupted() throws Exception {
        String banner = startAndStop("--port", "0", "--data", dir.toString());
        assertTrue(banner.matches("MQTT broker listening on tcp://127\\.0\\.0\\.1:\\d+\\R"), banner + " / " + err);
    }

    @Test
    void withTlsOnlyTheTlsListenerRunsUnlessPlainIsAsked() throws Exception {
        Path tls = brokerCredential();
        String tlsOnly = startAndStop("--port", "0", "--tls-port", "0", "--tls", tls.toString(), "--data", dir.resolve("a").toString());
        assertTrue(tlsOnly.matches("MQTT broker listening on ssl://127\\.0\\.0\\.1:\\d+\\R"), tlsOnly + " / " + err);
        out.getBuffer().setLength(0);
        String both = startAndStop("--port", "0", "--tls-port", "0", "--tls", tls.toString(), "--plain", "--data",
                dir.resolve("b").toString());
        assertTrue(both.matches("MQTT broker listening on tcp://127\\.0\\.0\\.1:\\d+ and ssl://127\\.0\\.0\\.1:\\d+\\R"),
                both + " / " + err);
    }

    @Test
    void noPlainWithoutTlsLeavesNoListenerAndIsAUsageError() {
        assertEquals(2, run("--no-plain", "--data", dir.toString()));
        assertTrue(err.toString().contains("--no-plain without --tls leaves no listener"), err.toString());
    }

    /** Runs the broker in a thread until it says where it listens, then interrupts it; returns what it printed. */
    private String startAndStop(String... args) throws InterruptedException {
        AtomicInteger code = new AtomicInteger(-1);
        Thread runner = new Thread(() -> code.set(run(args)));
        runner.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!out.toString().contains("listening on") && System.currentTimeMillis() < deadline && runner.isAlive()) {
            Thread.sleep(50);
        }
        String banner = out.toString();
        runner.interrupt();
        runner.join(60_000);
        assertEquals(0, code.get(), err.toString());
        return banner;
    }

    /** A broker credential for 127.0.0.1 issued now (the command checks it on the system clock). */
    private Path brokerCredential() throws Exception {
        Fixtures fx = new Fixtures(dir.resolve("pki"));
        TrustHierarchy now = TrustHierarchy.load(fx.oemDir(), Clock.fixed(Instant.now().minusSeconds(60), ZoneOffset.UTC),
                Fixtures.seeded(3));
        Path tls = dir.resolve("broker-tls");
        new CredentialDir(now.issueBroker(List.of("localhost"), List.of("127.0.0.1")), List.of(), now.root().cert()).writeNew(tls);
        return tls;
    }

    @Test
    void reportsAPortInUseInOneLineWithExitTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals(2, run("--port", String.valueOf(taken.getLocalPort()), "--data", dir.toString()));
            assertTrue(err.toString().startsWith("ota broker: port " + taken.getLocalPort()), err.toString());
            assertEquals(1, err.toString().lines().count(), err.toString());
        }
    }

    @Test
    void reportsMissingTlsMaterialInOneLineWithExitTwo() {
        assertEquals(2, run("--port", "0", "--tls", dir.resolve("nothing").toString(), "--data", dir.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void rejectsABadOptionWithExitTwo() {
        assertEquals(2, run("--port", "abc"));
        assertTrue(err.toString().contains("--port"), err.toString());
    }

    @Test
    void rejectsAnInvalidSizeWithExitTwo() {
        assertEquals(2, run("--max-message-size", "0", "--data", dir.toString()));
        assertTrue(err.toString().contains("maxMessageBytes"), err.toString());
    }
}
