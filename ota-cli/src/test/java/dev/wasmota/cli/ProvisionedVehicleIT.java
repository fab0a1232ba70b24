package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.cli.EcuCli.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An empty vehicle from provisioning to its first module, through the command line only, TLS
 * only: {@code ota oem issue} the broker's and the OEM worker's credentials, {@code ota oem vehicle
 * provision} the vehicle, {@code ota broker --tls} (no plain listener), {@code ota oem serve} and
 * {@code ota ecu serve --state DIR} (nothing but the provisioned state), and a campaign that
 * installs a module on it.
 */
class ProvisionedVehicleIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern TLS_URL = Pattern.compile("listening on (ssl://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path dir;

    @Test
    void aProvisionedEmptyVehicleServesOverTlsAndACampaignInstallsAModuleOnIt() throws Exception {
        EcuCli cli = new EcuCli(dir);
        Path oem = dir.resolve("oem");
        Path state = dir.resolve("veh-1");
        ok(cli, "oem", "issue", "broker", "--oem", oem.toString(), "--ip", "127.0.0.1", "--out", dir.resolve("broker-tls").toString());
        ok(cli, "oem", "issue", "worker", "--oem", oem.toString(), "--worker", "w1", "--out", dir.resolve("w1-tls").toString());
        ok(cli, "oem", "vehicle", "provision", "--oem", oem.toString(), "--id", "veh-1", "--hardware", "ecu-a", "--out",
                state.toString());
        ok(cli, "oem", "campaign", "create", "--oem", oem.toString(), "--package", cli.healthy(1).toString(), "--vehicles",
                "veh-1", "--waves", "1", "--expires", "1h", "--id", "c-1");
        ok(cli, "oem", "campaign", "start", "--oem", oem.toString(), "--campaign", "c-1");

        Serving broker = Serving.start("listening on", "broker", "--port", "0", "--tls-port", "0", "--tls",
                dir.resolve("broker-tls").toString(), "--data", dir.resolve("broker-data").toString());
        try {
            Matcher url = TLS_URL.matcher(broker.out());
            assertTrue(url.find(), broker.out());
            assertFalse(broker.out().contains("tcp://"), "with --tls, no plain listener: " + broker.out());
            String ssl = url.group(1);
            Serving vehicle = Serving.start("serving; stop with Ctrl-C", "ecu", "serve", "--state", state.toString(), "--broker", ssl);
            try {
                assertTrue(vehicle.out().contains("vehicle veh-1 (hardware ecu-a) on " + ssl
                        + ": no modules installed (an empty configuration"), vehicle.out());
                Serving worker = Serving.start("serving; stop with Ctrl-C", "oem", "serve", "--oem", oem.toString(), "--worker",
                        "w1", "--broker", ssl, "--tls", dir.resolve("w1-tls").toString());
                try {
                    awaitEvent(List.of(state.resolve("audit.log")), AuditEvent.INSTALL_COMMITTED, vehicle, worker);
                    awaitCompleted(cli, oem, vehicle, worker);
                } finally {
                    worker.stop();
                }
            } finally {
                vehicle.stop();
            }
        } finally {
            broker.stop();
        }
        assertTrue(ok(cli, "ecu", "status", "--state", state.toString()).out().contains("healthy"));
        assertTrue(ok(cli, "ecu", "log", "--state", state.toString(), "--verify").out().contains("audit log intact: "));
        String status = ok(cli, "oem", "campaign", "status", "--oem", oem.toString(), "--campaign", "c-1").out();
        assertTrue(status.contains("COMPLETED"), status);
    }

    private static Result ok(EcuCli cli, String... args) {
        Result r = cli.ota(Clock.systemUTC(), args);
        assertEquals(0, r.code(), () -> String.join(" ", args) + " -> " + r);
        return r;
    }

    /** Waits until campaign c-1 completed, as {@code ota oem campaign status} tells (the OEM's records are in its database). */
    private static void awaitCompleted(EcuCli cli, Path oem, Serving... serving) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            last = ok(cli, "oem", "campaign", "status", "--oem", oem.toString(), "--campaign", "c-1").out();
            if (last.contains("COMPLETED")) {
                return;
            }
            Thread.sleep(300);
        }
        StringBuilder seen = new StringBuilder(last);
        for (Serving s : serving) {
            seen.append(s.out()).append(s.err());
        }
        throw new AssertionError("campaign c-1 not completed within " + WAIT + "; output:\n" + seen);
    }

    /** Waits until one of {@code logs} holds {@code event}; fails with what the serve commands printed. */
    private static void awaitEvent(List<Path> logs, AuditEvent event, Serving... serving) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (Path log : logs) {
                if (Files.exists(log) && AuditLog.read(log).stream().map(AuditRecord::event).anyMatch(e -> e == event)) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        StringBuilder seen = new StringBuilder();
        for (Serving s : serving) {
            seen.append(s.out()).append(s.err());
        }
        throw new AssertionError("no " + event + " in " + logs + " within " + WAIT + "; output:\n" + seen);
    }

    /** A command through {@link Main#run} on the system clock, in a thread of its own until {@link #stop}. */
    private static final class Serving {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final AtomicInteger code = new AtomicInteger(-1);
        private final Thread thread;

        private Serving(String... args) {
            thread = new Thread(() -> code.set(Main.run(args, CliEnv.system(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8))), "serve-" + args[0]);
        }

        static Serving start(String ready, String... args) throws InterruptedException {
            Serving s = new Serving(args);
            s.thread.start();
            long end = System.nanoTime() + WAIT.toNanos();
            while (!s.out().contains(ready)) {
                if (!s.thread.isAlive() || System.nanoTime() > end) {
                    throw new AssertionError(String.join(" ", args) + " did not start: " + s.out() + s.err());
                }
                Thread.sleep(50);
            }
            return s;
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(WAIT.toMillis());
            assertFalse(thread.isAlive(), "stops when interrupted");
            assertEquals(0, code.get(), this::err);
        }
    }
}
