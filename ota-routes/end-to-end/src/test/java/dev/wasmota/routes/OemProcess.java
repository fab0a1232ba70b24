package dev.wasmota.routes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link OemChild} process on an OEM directory (the kit's, or a copy of its keys) and the kit's
 * database, driven by lines on its standard input; {@link #kill()} is {@code kill -9}. Its log
 * goes to a file beside the OEM directory.
 */
final class OemProcess {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Path log;

    private OemProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "oem-child-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts OEM worker {@code worker} of {@code kit} in a new JVM (its {@code run}-th) and waits until its routes run. */
    static OemProcess start(PipelineKit kit, String worker, int run) throws InterruptedException {
        return start(kit, kit.dir.resolve("oem"), worker, run, 30);
    }

    /**
     * Starts OEM worker {@code worker} on the OEM directory {@code oemDir} and the kit's database in
     * a new JVM (its {@code run}-th), with leases of {@code leaseSeconds}, and waits until its routes run.
     */
    static OemProcess start(PipelineKit kit, Path oemDir, String worker, int run, int leaseSeconds)
            throws InterruptedException {
        Path log = kit.dir.resolve("oem-" + worker + "-run" + run + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xmx384m", "-cp",
                System.getProperty("java.class.path"), OemChild.class.getName(), oemDir.toString(), kit.broker.url(),
                kit.topics.root(), kit.dbUrl(), worker, Integer.toString(run), Integer.toString(leaseSeconds)));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OEM child", e);
        }
        STARTED.add(p);
        OemProcess oem = new OemProcess(p, log);
        oem.await("ready", START_TIMEOUT);
        return oem;
    }

    /** Kills every child a failed test left running, so none holds the database or a client id afterwards. */
    static void killLeftovers() throws InterruptedException {
        for (Process p : STARTED) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        STARTED.clear();
    }

    /** Starts campaign {@code id} in the child (which owns the database). */
    void startCampaign(String id) throws InterruptedException {
        commands.println("start " + id);
        await("started " + id, Duration.ofSeconds(30));
    }

    /** The campaign's state as the child sees it. */
    String state(String id) {
        commands.println("state " + id);
        try {
            return await("state " + id + " ", Duration.ofSeconds(30)).substring(("state " + id + " ").length());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook, no goodbye to the broker. Returns the exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the OEM child did not die");
        }
        return process.exitValue();
    }

    /** Closes the node cleanly (releasing the database) and waits for the process to exit. */
    void stop() throws InterruptedException {
        commands.println("stop");
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the OEM child did not stop; log " + log);
        }
    }

    private String await(String prefix, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = answers.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the OEM child did not answer '" + prefix + "' within " + timeout.toSeconds()
                        + " s (alive " + process.isAlive() + "); its log:\n" + tail());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private void readAnswers() {
        Path out = log.resolveSibling(log.getFileName() + ".out");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             java.io.Writer copy = Files.newBufferedWriter(out)) {
            for (String line; (line = in.readLine()) != null; ) {
                answers.add(line);
                copy.write(line + "\n");
                copy.flush();
            }
        } catch (IOException ignored) {
            // the process died
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
