package dev.wasmota.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Publishes at QoS 1 without waiting for each acknowledgement in turn: up to {@code window}
 * publishes in flight at once on one client, each completing (or failing) when the broker answers.
 * A synchronous publish waits a whole round trip per message (and for ever if the acknowledgement
 * never comes); this keeps the link busy while bounding what is outstanding.
 *
 * <p>The window must stay below the broker's receive maximum (Mosquitto's
 * {@code max_inflight_messages}, 20 by default; the embedded HiveMQ's is 65,535 here), less what
 * the client's other publishers may have in flight at once: Paho refuses a publish over the
 * broker's receive maximum at once (32202, "too many publishes in progress") instead of queueing
 * it. Such a refusal is taken as "wait": the publish is tried again once one of this window's own
 * publishes completed (or after {@value #BUSY_RETRY_MILLIS} ms), for at most the acknowledgement
 * timeout.
 */
public final class WindowedPublisher {
    static final long BUSY_RETRY_MILLIS = 5;
    private final HeldMessagesClient client;
    private final int window;
    private final Semaphore permits;
    private final Duration ackTimeout;
    private final Object completions = new Object();
    private final java.util.concurrent.atomic.AtomicLong busyWaits = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param window     most publishes of this publisher in flight at once (at least 1)
     * @param ackTimeout how long a publish may wait for room under the broker's receive maximum
     */
    public WindowedPublisher(HeldMessagesClient client, int window, Duration ackTimeout) {
        if (window < 1) {
            throw new IllegalArgumentException("the publish window must be at least 1, not " + window);
        }
        this.client = client;
        this.window = window;
        this.permits = new Semaphore(window);
        this.ackTimeout = ackTimeout;
    }

    /** Most publishes in flight at once. */
    public int window() {
        return window;
    }

    /** How many times a publish waited because Paho refused it over the broker's receive maximum (32202). */
    public long busyWaits() {
        return busyWaits.get();
    }

    /** How many of this publisher's publishes are in flight now. */
    public int inFlight() {
        return window - permits.availablePermits();
    }

    /**
     * Publishes {@code payload} to {@code topic} once the window has room (waiting for it), and
     * returns what completes when the broker acknowledged it, or fails with the reason it did not:
     * the connection lost, the broker's refusal (a reason code of 0x80 or more), or Paho's.
     *
     * @throws InterruptedException while waiting for room
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        if (!permits.tryAcquire(ackTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
            done.completeExceptionally(new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT));
            return done;
        }
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retained);
        MqttActionListener listener = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                int[] codes = token.getReasonCodes();
                finished();
                if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                    done.completeExceptionally(new MqttException(codes[0]));
                } else {
                    done.complete(null);
                }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                finished();
                done.completeExceptionally(cause != null ? cause : new MqttException(MqttClientException.REASON_CODE_UNEXPECTED_ERROR));
            }
        };
        while (true) {
            try {
                client.publishLater(topic, m, listener);
                return done;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
                    finished();
                    done.completeExceptionally(e);
                    return done;
                }
                // the client's other publishers fill the broker's receive maximum: wait for a completion
                busyWaits.incrementAndGet();
                synchronized (completions) {
                    completions.wait(BUSY_RETRY_MILLIS);
                }
            }
        }
    }

    private void finished() {
        permits.release();
        synchronized (completions) {
            completions.notifyAll();
        }
    }
}
