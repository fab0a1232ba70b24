package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Real-time scheduling through {@code chrt}: a thread that enters is on {@code SCHED_FIFO}; a
 * sandbox's worker enters when it starts; a process that may not is refused, saying why. The
 * first two need root or CAP_SYS_NICE (this project's VMs run as root); the refusal runs
 * {@code chrt} as the unprivileged user {@code nobody} through {@code setpriv}.
 */
class RealtimeTest {
    private static boolean permitted() {
        AtomicReference<Boolean> ok = new AtomicReference<>(false);
        Thread t = new Thread(() -> {
            try {
                Realtime.fifo(1).enter();
                ok.set(true);
            } catch (RejectedException e) {
                ok.set(false);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ok.get();
    }

    @Test
    void aThreadThatEntersRunsOnSchedFifo() throws InterruptedException {
        assumeTrue(permitted(), "needs root or CAP_SYS_NICE");
        AtomicReference<String> policy = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Realtime.fifo(Realtime.DEFAULT_PRIORITY).enter();
            policy.set(Realtime.currentPolicy());
        });
        t.start();
        t.join();
        assertTrue(policy.get().contains("SCHED_FIFO") && policy.get().contains("priority: " + Realtime.DEFAULT_PRIORITY),
                policy.get());
    }

    @Test
    void aSandboxsWorkerEntersWhenItStarts() throws IOException, InterruptedException {
        assumeTrue(permitted(), "needs root or CAP_SYS_NICE");
        try (SandboxedModule m = SandboxedModule.builder(Corpus.compiled("empty", "")).id("rt")
                .limits(new ModuleLimits(1, 5_000, 10)).realtime(Realtime.fifo(Realtime.DEFAULT_PRIORITY)).build()) {
            assertTrue(m.call("tick").ok());
            assertEquals("FF", schedulingClassOf("ecu-module-rt"), "ps -L shows the worker's class");
        }
        try (SandboxedModule m = SandboxedModule.builder(Corpus.compiled("empty", "")).id("ordinary")
                .limits(new ModuleLimits(1, 5_000, 10)).build()) {
            assertTrue(m.call("tick").ok());
            assertEquals("TS", schedulingClassOf("ecu-module-or"), "ordinary by default");
        }
    }

    @Test
    void aProcessThatMayNotIsRefusedSayingWhy() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        Realtime unprivileged = Realtime.fifo(Realtime.DEFAULT_PRIORITY,
                List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "chrt"));
        RejectedException e = assertThrows(RejectedException.class, unprivileged::enter);

        assertEquals(HostPolicyFailure.REALTIME_NOT_PERMITTED, e.reason());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertTrue(e.getMessage().startsWith("SCHED_FIFO needs root or CAP_SYS_NICE, and this process may not use it"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Operation not permitted"), e.getMessage());
    }

    @Test
    void withoutChrtItIsRefusedSayingSo() {
        RejectedException e = assertThrows(RejectedException.class,
                () -> Realtime.fifo(1, List.of("/nonexistent/chrt")).enter());
        assertEquals(HostPolicyFailure.REALTIME_NOT_PERMITTED, e.reason());
        assertTrue(e.getMessage().contains("needs chrt"), e.getMessage());
    }

    /** The scheduling class {@code ps} shows for this process's thread whose name starts with {@code comm} (15 characters at most). */
    private static String schedulingClassOf(String comm) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ps", "-L", "-o", "cls=,comm=", "-p", Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().map(String::trim).filter(l -> l.endsWith(comm) || l.contains(" " + comm))
                .map(l -> l.split("\\s+")[0]).findFirst().orElse("none in: " + out);
    }
}
