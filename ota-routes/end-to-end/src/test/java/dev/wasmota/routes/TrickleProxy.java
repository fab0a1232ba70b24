package dev.wasmota.routes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An on-path attacker for slow-retrieval tests: a TCP proxy in front of a broker that forwards
 * everything, except that while it is trickling it holds back a large download and passes it on
 * one byte per interval, keeping the connection open. It follows MQTT packets on a plain link
 * (a PUBLISH over the threshold trickles after its fixed header) or TLS records on an encrypted
 * one (after the first application-data record over the threshold, the rest of the connection
 * trickles). Each trickle is recorded from its start to the moment the client hung up.
 */
final class TrickleProxy implements AutoCloseable {
    /** What the proxy can see of the broker's bytes. */
    enum Framing { MQTT, TLS }

    /** One trickled download: when it began and when the client dropped the connection (nanoTime), and its MQTT size if known. */
    record Trickle(long startedAt, long endedAt, long packetBytes) {
        Duration cutAfter() {
            return Duration.ofNanos(endedAt - startedAt);
        }
    }

    private static final long REST_OF_CONNECTION = Long.MAX_VALUE;

    private final ServerSocket server;
    private final String brokerHost;
    private final int brokerPort;
    private final Framing framing;
    private final int threshold;
    private final long intervalMillis;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Trickle> trickles = new CopyOnWriteArrayList<>();
    private volatile boolean trickling = true;

    TrickleProxy(String brokerUrl, Framing framing, int threshold, Duration interval) throws IOException {
        URI u = URI.create(brokerUrl);
        this.brokerHost = u.getHost();
        this.brokerPort = u.getPort();
        this.framing = framing;
        this.threshold = threshold;
        this.intervalMillis = interval.toMillis();
        this.server = new ServerSocket(0, 50, InetAddress.getByName(brokerHost));
        daemon("trickle-proxy-accept", this::acceptLoop);
    }

    /** The proxy's URL with the broker URL's scheme and host. */
    String url(String scheme) {
        return scheme + "://" + brokerHost + ":" + server.getLocalPort();
    }

    /** From now on, everything is forwarded at full speed (a trickle under way finishes at once). */
    void stopTrickling() {
        trickling = false;
    }

    List<Trickle> trickles() {
        return List.copyOf(trickles);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(brokerHost, brokerPort);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(broker);
                Connection c = new Connection(client, broker);
                daemon("trickle-proxy-up", c::up);
                daemon("trickle-proxy-down", c::down);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One proxied connection: the client's bytes go up untouched, the broker's come down, maybe trickled. */
    private final class Connection {
        private final Socket client;
        private final Socket broker;
        private volatile long trickleStart = -1;
        private volatile long trickleBytes = -1;

        Connection(Socket client, Socket broker) {
            this.client = client;
            this.broker = broker;
        }

        void up() {
            try {
                client.getInputStream().transferTo(broker.getOutputStream());
            } catch (IOException e) {
                // the client or the broker hung up
            } finally {
                long start = trickleStart;
                if (start >= 0) {
                    trickles.add(new Trickle(start, System.nanoTime(), trickleBytes));
                }
                closeQuietly(client);
                closeQuietly(broker);
            }
        }

        void down() {
            try {
                InputStream in = broker.getInputStream();
                OutputStream out = client.getOutputStream();
                if (framing == Framing.MQTT) {
                    mqtt(in, out);
                } else {
                    tls(in, out);
                }
            } catch (IOException | InterruptedException e) {
                // either side hung up
            } finally {
                closeQuietly(client);
                closeQuietly(broker);
            }
        }

        private void mqtt(InputStream in, OutputStream out) throws IOException, InterruptedException {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                byte[] header = new byte[5];
                header[0] = (byte) first;
                int n = 1;
                long length = 0;
                int b;
                do {
                    b = readByte(in);
                    header[n] = (byte) b;
                    length |= (long) (b & 0x7f) << (7 * (n - 1));
                    n++;
                } while ((b & 0x80) != 0 && n < 5);
                out.write(header, 0, n);
                out.flush();
                if (trickling && (first >>> 4) == 3 && length > threshold) {
                    trickleBytes = length;
                    trickleStart = System.nanoTime();
                    trickle(in, out, length);
                } else {
                    copy(in, out, length);
                }
            }
        }

        private void tls(InputStream in, OutputStream out) throws IOException, InterruptedException {
            while (true) {
                byte[] header = in.readNBytes(5);
                if (header.length < 5) {
                    return;
                }
                int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                out.write(header);
                copy(in, out, length);
                if (trickling && header[0] == 23 && length > threshold) {
                    trickleStart = System.nanoTime();
                    trickle(in, out, REST_OF_CONNECTION);
                }
            }
        }

        /** Passes {@code length} bytes on one per interval while trickling, the rest at once. */
        private void trickle(InputStream in, OutputStream out, long length) throws IOException, InterruptedException {
            long left = length;
            while (left > 0 && trickling) {
                out.write(readByte(in));
                out.flush();
                left--;
                Thread.sleep(intervalMillis);
            }
            if (length == REST_OF_CONNECTION) {
                in.transferTo(out);
            } else {
                copy(in, out, left);
            }
        }

        private void copy(InputStream in, OutputStream out, long length) throws IOException {
            byte[] buf = new byte[16384];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("broker hung up");
                }
                out.write(buf, 0, n);
                left -= n;
            }
            out.flush();
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("broker hung up");
        }
        return b;
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
