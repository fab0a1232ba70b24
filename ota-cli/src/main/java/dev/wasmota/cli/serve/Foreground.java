package dev.wasmota.cli.serve;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * What a serve command holds open, closed in the reverse order it was opened, exactly once: when
 * the serving thread is interrupted, or by a shutdown hook on SIGINT or SIGTERM.
 */
public final class Foreground implements AutoCloseable {
    private final Deque<Open> open = new ArrayDeque<>();
    private final PrintWriter err;
    private final Thread hook = new Thread(this::closeAll, "ota-serve-shutdown");
    private final CountDownLatch never = new CountDownLatch(1);
    private boolean closed;

    private record Open(String what, AutoCloseable resource) {
    }

    public Foreground(PrintWriter err) {
        this.err = err;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Holds {@code resource} until the end; returns it. */
    public synchronized <T extends AutoCloseable> T hold(String what, T resource) {
        if (closed) {
            closeQuietly(new Open(what, resource));
            throw new IllegalStateException("shutting down");
        }
        open.push(new Open(what, resource));
        return resource;
    }

    /** Blocks until the calling thread is interrupted (the shutdown hook closes everything on a signal). */
    public void awaitInterrupt() {
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook closes everything
        }
        closeAll();
    }

    private synchronized void closeAll() {
        closed = true;
        boolean interrupted = Thread.interrupted();
        try {
            while (!open.isEmpty()) {
                closeQuietly(open.pop());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeQuietly(Open o) {
        try {
            o.resource().close();
        } catch (Exception e) {
            err.println("warning: could not close the " + o.what() + " cleanly: " + e);
            err.flush();
        }
    }
}
