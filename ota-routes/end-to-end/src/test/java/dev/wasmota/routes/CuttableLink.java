package dev.wasmota.routes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A vehicle's network link to the broker that a test can cut and restore: a TCP proxy that
 * forwards both ways until {@link #cut}, which drops every connection through it and refuses new
 * ones (as a vehicle out of coverage sees it) until {@link #restore}. Only that vehicle loses the
 * broker; the OEM's connections and subscriptions stay.
 */
final class CuttableLink implements AutoCloseable {
    private final String brokerHost;
    private final int brokerPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    CuttableLink(String brokerUrl) throws IOException {
        URI u = URI.create(brokerUrl);
        this.brokerHost = u.getHost();
        this.brokerPort = u.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getByName(brokerHost));
        daemon("cuttable-link-accept", this::acceptLoop);
    }

    /** The link's URL, in place of the broker's. */
    String url() {
        return "tcp://" + brokerHost + ":" + server.getLocalPort();
    }

    /** Drops every connection through the link and refuses new ones. */
    void cut() {
        cut = true;
        sockets.forEach(CuttableLink::closeQuietly);
        sockets.clear();
    }

    /** Lets connections through again (the clients reconnect by themselves). */
    void restore() {
        cut = false;
    }

    @Override
    public void close() {
        closeQuietly(server);
        cut();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket broker = new Socket(brokerHost, brokerPort);
                sockets.add(client);
                sockets.add(broker);
                daemon("cuttable-link-up", () -> pump(client, broker));
                daemon("cuttable-link-down", () -> pump(broker, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // cut, or one side hung up
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
