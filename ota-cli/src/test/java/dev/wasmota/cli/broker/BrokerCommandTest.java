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
        AtomicInteger code = new AtomicInteger(-1);
        Thread runner = new Thread(() -> code.set(run("--port", "0", "--data", dir.toString())));
        runner.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!out.toString().contains("listening on") && System.currentTimeMillis() < deadline && runner.isAlive()) {
            Thread.sleep(50);
        }
        assertTrue(out.toString().matches("MQTT broker listening on tcp://127\\.0\\.0\\.1:\\d+\\R"), out + " / " + err);
        runner.interrupt();
        runner.join(60_000);
        assertEquals(0, code.get(), err.toString());
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
