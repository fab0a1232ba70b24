package dev.wasmota.ecu.sandbox;

import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Real-time scheduling for the host's own threads (the module workers and the watchdog): with
 * {@link #fifo(int)}, each such thread puts itself on Linux's {@code SCHED_FIFO} at that priority
 * when it starts, through {@code chrt} on its own thread id, so it preempts every ordinary thread
 * of the machine (compilers, collectors, other processes) and its timers fire without the 50 µs
 * slack of ordinary threads. Needs root or {@code CAP_SYS_NICE}; never required ({@link #OFF} is
 * the default); refused, saying why, when not permitted. A worker the watchdog abandons goes back
 * to ordinary scheduling, so a wedged module cannot keep a core at real-time priority. The
 * kernel's real-time throttling (by default 95 % of each second) still bounds real-time threads.
 */
public final class Realtime {
    /** Ordinary scheduling (the default): nothing is changed. */
    public static final Realtime OFF = new Realtime(0, List.of("chrt"));
    /** The priority {@code --realtime} uses: above the default of most real-time services (chrt's range is 1..99). */
    public static final int DEFAULT_PRIORITY = 20;
    private static final System.Logger LOG = System.getLogger(Realtime.class.getName());
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private final int priority;
    private final List<String> chrt;
    private final Map<Thread, Long> threadIds = new ConcurrentHashMap<>();

    private Realtime(int priority, List<String> chrt) {
        this.priority = priority;
        this.chrt = List.copyOf(chrt);
    }

    /** {@code SCHED_FIFO} at {@code priority} (1..99). */
    public static Realtime fifo(int priority) {
        return fifo(priority, List.of("chrt"));
    }

    /** As {@link #fifo(int)}, running {@code chrt} as {@code command} (a test runs it as another user). */
    static Realtime fifo(int priority, List<String> command) {
        if (priority < 1 || priority > 99) {
            throw new IllegalArgumentException("SCHED_FIFO priority " + priority + " is outside 1..99");
        }
        return new Realtime(priority, command);
    }

    public boolean enabled() {
        return priority > 0;
    }

    public int priority() {
        return priority;
    }

    /**
     * Puts the calling thread on {@code SCHED_FIFO} (nothing when {@link #OFF}).
     *
     * @throws RejectedException {@link HostPolicyFailure#REALTIME_NOT_PERMITTED} when it may not
     */
    public void enter() {
        if (!enabled()) {
            return;
        }
        long tid = currentThreadId();
        run(command("-f", "-p", Integer.toString(priority), Long.toString(tid)));
        threadIds.put(Thread.currentThread(), tid);
    }

    /** As {@link #enter()}, logging a refusal instead of throwing (a thread started after the host checked). */
    void enterQuietly(String who) {
        try {
            enter();
        } catch (RejectedException e) {
            LOG.log(System.Logger.Level.WARNING, who + ": " + e.getMessage());
        }
    }

    /** Puts {@code t} back on ordinary scheduling if it entered; logs a failure. */
    void leaveQuietly(Thread t, String who) {
        Long tid = threadIds.remove(t);
        if (tid == null) {
            return;
        }
        try {
            run(command("-o", "-p", "0", Long.toString(tid)));
        } catch (RejectedException e) {
            LOG.log(System.Logger.Level.WARNING, who + ": " + e.getMessage());
        }
    }

    /** The scheduling policy of the calling thread as {@code chrt -p} prints it (for tests and the bench). */
    public static String currentPolicy() {
        return run(List.of("chrt", "-p", Long.toString(currentThreadId())));
    }

    /** The Linux thread id of the calling thread, read from {@code /proc/thread-self} ({@code PID/task/TID}). */
    static long currentThreadId() {
        try {
            return Long.parseLong(Files.readSymbolicLink(THREAD_SELF).getFileName().toString());
        } catch (IOException | RuntimeException e) {
            throw new RejectedException(HostPolicyFailure.REALTIME_NOT_PERMITTED,
                    "real-time scheduling needs Linux's /proc/thread-self to find the thread's id: " + e.getMessage());
        }
    }

    private List<String> command(String... args) {
        List<String> c = new java.util.ArrayList<>(chrt);
        c.addAll(List.of(args));
        return c;
    }

    private static String run(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new RejectedException(HostPolicyFailure.REALTIME_NOT_PERMITTED,
                    "real-time scheduling needs chrt (util-linux): " + e.getMessage());
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RejectedException(HostPolicyFailure.REALTIME_NOT_PERMITTED, "chrt did not answer");
            }
            if (p.exitValue() != 0) {
                throw new RejectedException(HostPolicyFailure.REALTIME_NOT_PERMITTED, "SCHED_FIFO needs root or"
                        + " CAP_SYS_NICE, and this process may not use it (" + String.join(" ", command) + ": "
                        + out.lines().findFirst().orElse("exit " + p.exitValue()) + ")");
            }
            return out;
        } catch (IOException e) {
            throw new RejectedException(HostPolicyFailure.REALTIME_NOT_PERMITTED, "chrt failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedException(HostPolicyFailure.REALTIME_NOT_PERMITTED, "interrupted waiting for chrt");
        }
    }
}
