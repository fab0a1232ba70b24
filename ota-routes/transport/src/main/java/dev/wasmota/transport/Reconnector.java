package dev.wasmota.transport;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Brings a client back after its connection was lost, in place of Paho's automatic reconnect.
 * Paho 1.2.5 keeps the reconnect back-off in a static field that every client of the JVM shares,
 * so after a broker restart the clients of one process double each other's delay: measured here,
 * 5 of 30 clients were back 90 s after a 3 s Mosquitto restart, and an OEM with its vehicles
 * never came back within 2 minutes. Here each client has its own back-off, from
 * {@value #MIN_MILLIS} ms doubling to {@value #MAX_MILLIS} ms, each delay drawn between half and
 * all of it from a generator seeded by the client id (a fleet does not return in one burst, and a
 * run is repeatable); one daemon thread schedules every client's attempts, which are
 * asynchronous.
 *
 * <p>An attempt first waits (at most {@value #WIND_DOWN_MAX_MILLIS} ms) until the lost
 * connection's receiver and sender threads have ended, since a receiver that fails late shuts
 * down whatever connection the client has by then.
 *
 * <p>Every attempt is watched: one that has neither succeeded nor failed within twice the connect
 * timeout is forced down and tried again. Paho's asynchronous connect has no deadline of its own
 * once the socket is open, so a broker that accepts the connection and never answers CONNACK, or
 * a connect that wedges inside Paho (its sender exits at once when a packet other than CONNECT is
 * queued ahead of it, and the connect then waits for it forever; {@link HeldMessagesClient} keeps
 * acknowledgements of a lost connection out of that queue, and this is what remains when one gets
 * through anyway), would otherwise leave the client offline for good. A wedged connect leaves one
 * sleeping Paho thread behind.
 */
final class Reconnector {
    static final long MIN_MILLIS = 1000;
    static final long MAX_MILLIS = 30_000;
    private static final System.Logger LOG = System.getLogger(Reconnector.class.getName());
    private static final long WIND_DOWN_POLL_MILLIS = 100;
    private static final long WIND_DOWN_MAX_MILLIS = 5000;
    private static final ScheduledExecutorService TIMER = timer();

    private final MqttAsyncClient client;
    private final SplittableRandom random;
    private MqttConnectionOptions options;
    private int attempts;
    private boolean scheduled;
    private boolean stopped;
    private long windDownSince;
    private int abandoned;
    private volatile boolean reconnecting;

    Reconnector(MqttAsyncClient client) {
        this.client = client;
        this.random = new SplittableRandom(client.getClientId().hashCode());
    }

    /** The options of the first connect, used again for every reconnect. */
    synchronized void connectedWith(MqttConnectionOptions o) {
        options = o;
        stopped = false;
        attempts = 0;
    }

    /** The connection was lost (or the server disconnected us): try again after the back-off. */
    synchronized void connectionLost() {
        if (!stopped && options != null && !scheduled) {
            scheduled = true;
            windDownSince = 0;
            TIMER.schedule(this::attempt, delayMillis(attempts, random), TimeUnit.MILLISECONDS);
        }
    }

    /** The client is being disconnected or closed on purpose: no more attempts. */
    synchronized void stop() {
        stopped = true;
    }

    /** How many connect attempts were forced down because no CONNACK came in time. */
    synchronized int abandonedConnects() {
        return abandoned;
    }

    /**
     * Whether the connection being completed now is one this reconnector made, so that the
     * consumer hears of a reconnect and subscribes again (a broker may have lost the session's
     * subscriptions: Mosquitto 2.0.11 did not route to a shared subscription restored from its
     * persistence file). Reading it clears it.
     */
    boolean takeReconnecting() {
        boolean r = reconnecting;
        reconnecting = false;
        return r;
    }

    /** The wait before attempt {@code attempts + 1}: the back-off step, jittered to between half and all of it. */
    static long delayMillis(int attempts, SplittableRandom random) {
        long step = Math.min(MAX_MILLIS, MIN_MILLIS << Math.min(attempts, 16));
        return step / 2 + random.nextLong(step / 2 + 1);
    }

    /** How long an attempt may take before it is forced down: twice the connect timeout. */
    static long deadlineMillis(MqttConnectionOptions o) {
        return 2_000L * Math.max(1, o.getConnectionTimeout());
    }

    private void attempt() {
        MqttConnectionOptions o;
        synchronized (this) {
            scheduled = false;
            if (stopped || client.isConnected()) {
                return;
            }
            long now = System.nanoTime();
            if (windDownSince == 0) {
                windDownSince = now;
            }
            if (lastConnectionAlive() && now - windDownSince < TimeUnit.MILLISECONDS.toNanos(WIND_DOWN_MAX_MILLIS)) {
                scheduled = true;
                TIMER.schedule(this::attempt, WIND_DOWN_POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            attempts++;
            reconnecting = true;
            o = options;
        }
        try {
            IMqttToken token = client.connect(o, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken t) {
                    synchronized (Reconnector.this) {
                        attempts = 0;
                    }
                }

                @Override
                public void onFailure(IMqttToken t, Throwable cause) {
                    reconnecting = false;
                    connectionLost();
                }
            });
            TIMER.schedule(() -> watch(token), deadlineMillis(o), TimeUnit.MILLISECONDS);
        } catch (MqttException e) {
            reconnecting = false;
            if (e.getReasonCode() != MqttClientException.REASON_CODE_CLIENT_CONNECTED) {
                connectionLost();
            }
        }
    }

    /** Forces down an attempt that has not ended by its deadline, and schedules the next one. */
    private void watch(IMqttToken token) {
        synchronized (this) {
            if (stopped || token.isComplete() || client.isConnected()) {
                return;
            }
            abandoned++;
        }
        LOG.log(System.Logger.Level.WARNING, client.getClientId() + ": no CONNACK within " + deadlineMillis(options)
                + " ms; dropping the connection attempt and trying again");
        reconnecting = false;
        // off the timer thread: Paho takes up to a second to stop the attempt's receiver
        Thread drop = new Thread(() -> {
            try {
                client.disconnectForcibly(0, 0, false);
            } catch (MqttException e) {
                LOG.log(System.Logger.Level.WARNING, client.getClientId() + ": could not drop the stalled connect: " + e);
            }
            connectionLost();
        }, "mqtt-drop-stalled-connect");
        drop.setDaemon(true);
        drop.start();
    }

    /** Whether the receiver or sender thread of this client's last connection still runs. */
    private boolean lastConnectionAlive() {
        String id = client.getClientId();
        Set<String> names = Set.of("MQTT Snd: " + id, "MQTT Rec: " + id);
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 64];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            if (names.contains(threads[i].getName()) && threads[i].isAlive()) {
                return true;
            }
        }
        return false;
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "mqtt-reconnect");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
