package dev.wasmota.broker.internal;

import dev.wasmota.broker.BrokerException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Port choice and readiness checks shared by the broker implementations. */
public final class Ports {

    private Ports() {
    }

    /** The requested port if it is free on {@code host}, a free port if 0 was requested. */
    public static int resolve(String host, int requested) {
        try (ServerSocket socket = new ServerSocket()) {
            // SO_REUSEADDR: a listener still refuses the bind, but connections of a broker stopped a moment ago
            // (TIME_WAIT) do not, so a broker restarts on its port at once.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), requested));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new BrokerException("port " + requested + " on " + host + " is not available: " + e.getMessage(), e);
        }
    }

    /** Waits until a TCP connection to host:port succeeds; false if it did not within {@code timeout}. */
    public static boolean awaitAccepting(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 200);
                return true;
            } catch (IOException e) {
                if (!sleep(20)) return false;
            }
        }
        return false;
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
