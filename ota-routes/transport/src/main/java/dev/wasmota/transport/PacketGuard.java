package dev.wasmota.transport;

import dev.wasmota.protocol.RouteProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * The limits against slow retrieval (a transfer that trickles so an update never completes):
 * once the first byte of an MQTT packet has arrived, the whole packet must arrive within
 * {@code timeout + remainingLength / minBytesPerSecond}, or the connection is dropped and the
 * {@code listener} hears of it. Paho counts every received byte as activity, so keep-alive alone
 * never notices a trickle; idle time between packets stays keep-alive's business. A zero timeout
 * turns the guard off.
 *
 * <p>Defaults: 10 s plus 32 KiB/s (256 kbit/s, below a poor cellular link's rate), so the
 * largest message (9 MiB) may take about 5 min and a typical 2 MiB update 74 s.
 */
public record PacketGuard(Duration timeout, int minBytesPerSecond, SlowRetrieval.Listener listener) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MIN_BYTES_PER_SECOND = 32 * 1024;
    public static final PacketGuard DEFAULT = new PacketGuard(DEFAULT_TIMEOUT, DEFAULT_MIN_BYTES_PER_SECOND,
            SlowRetrieval.Listener.NONE);
    /** No deadline: sockets are used as they come. */
    public static final PacketGuard OFF = new PacketGuard(Duration.ZERO, DEFAULT_MIN_BYTES_PER_SECOND,
            SlowRetrieval.Listener.NONE);

    public PacketGuard {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(listener, "listener");
        List<String> problems = new ArrayList<>();
        if (timeout.isNegative() || timeout.compareTo(Duration.ofDays(1)) > 0) {
            problems.add("packet timeout " + timeout.toMillis() + " ms is not between 0 (off) and one day");
        }
        if (minBytesPerSecond < 1) {
            problems.add("minimum transfer rate " + minBytesPerSecond + " B/s is not positive");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The guard from the routes' settings {@code ota.mqtt.packetTimeoutMillis} and {@code ota.mqtt.minBytesPerSecond}. */
    public static PacketGuard of(Properties p) {
        return new PacketGuard(Duration.ofMillis(RouteProperties.intValue(p, "ota.mqtt.packetTimeoutMillis")),
                RouteProperties.intValue(p, "ota.mqtt.minBytesPerSecond"), SlowRetrieval.Listener.NONE);
    }

    public boolean enabled() {
        return !timeout.isZero();
    }

    /** How long a packet of {@code remainingLength} bytes may take once its first byte arrived, in nanoseconds. */
    public long allowanceNanos(long remainingLength) {
        return timeout.toNanos() + remainingLength * 1_000_000_000L / minBytesPerSecond;
    }

    public PacketGuard withListener(SlowRetrieval.Listener l) {
        return new PacketGuard(timeout, minBytesPerSecond, l);
    }
}
