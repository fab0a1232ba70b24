package dev.wasmota.broker;

import dev.wasmota.contract.config.Problems;

import dev.wasmota.protocol.TopicPolicy;
import dev.wasmota.protocol.Topics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable settings shared by every {@link Broker} implementation, so the embedded broker and the
 * Mosquitto test fixture enforce the same limits. Build with {@link #builder(Path)}; defaults are
 * listed on the builder's setters.
 */
public final class BrokerSettings {

    /** MQTT's own ceiling on a packet: 256 MiB. */
    public static final int MAX_PACKET_BYTES = 268_435_455;
    /** MQTT 5's ceiling on the session expiry interval (a 32-bit count of seconds). */
    public static final Duration MAX_SESSION_EXPIRY = Duration.ofSeconds(4_294_967_295L);

    private final Path dataDir;
    private final String host;
    private final int port;
    private final int maxMessageBytes;
    private final int maxQueuedMessagesPerClient;
    private final Duration sessionExpiry;
    private final TlsListener tls;
    private final boolean plainListener;
    private final Set<String> oemClients;
    private final Topics topics;

    private BrokerSettings(Builder b) {
        dataDir = b.dataDir;
        host = b.host;
        port = b.port;
        maxMessageBytes = b.maxMessageBytes;
        maxQueuedMessagesPerClient = b.maxQueuedMessagesPerClient;
        sessionExpiry = b.sessionExpiry;
        tls = b.tls;
        plainListener = b.plainListener;
        oemClients = Set.copyOf(b.oemClients);
        topics = b.topics;
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** A builder holding these settings, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(dataDir).host(host).port(port).maxMessageBytes(maxMessageBytes)
                .maxQueuedMessagesPerClient(maxQueuedMessagesPerClient).sessionExpiry(sessionExpiry)
                .plainListener(plainListener).oemClients(oemClients).topics(topics);
        return tls == null ? b : b.tls(tls);
    }

    public Path dataDir() { return dataDir; }
    public String host() { return host; }
    public int port() { return port; }
    public int maxMessageBytes() { return maxMessageBytes; }
    public int maxQueuedMessagesPerClient() { return maxQueuedMessagesPerClient; }
    public Duration sessionExpiry() { return sessionExpiry; }
    public Optional<TlsListener> tls() { return Optional.ofNullable(tls); }
    public boolean plainListener() { return plainListener; }
    public Set<String> oemClients() { return oemClients; }
    public Topics topics() { return topics; }

    /** The access rules of the TLS listener: {@link TopicPolicy} under these settings' topic root. */
    public TopicPolicy topicPolicy() { return new TopicPolicy(topics); }

    /** Every problem with these settings, empty when they are usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (dataDir == null) p.add("dataDir is required");
        if (host == null || host.isBlank()) p.add("host is required");
        checkPort(p, "port", port);
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_PACKET_BYTES) {
            p.add("maxMessageBytes must be within 1.." + MAX_PACKET_BYTES + ", was " + maxMessageBytes);
        }
        if (maxQueuedMessagesPerClient < 1) {
            p.add("maxQueuedMessagesPerClient must be positive, was " + maxQueuedMessagesPerClient);
        }
        if (sessionExpiry == null || sessionExpiry.isNegative() || sessionExpiry.compareTo(MAX_SESSION_EXPIRY) > 0) {
            p.add("sessionExpiry must be within 0.." + MAX_SESSION_EXPIRY.toSeconds() + " s, was " + sessionExpiry);
        }
        if (!plainListener && tls == null) p.add("no listener: enable the plain listener or configure tls");
        if (tls != null) {
            checkPort(p, "tls port", tls.port());
            if (plainListener && tls.port() != 0 && tls.port() == port) {
                p.add("tls port and plain port are both " + port);
            }
        }
        for (String name : oemClients) {
            if (name == null || name.isBlank() || name.matches(".*[/+#\\s].*")) {
                p.add("OEM client name must be non-blank without '/', '+', '#' or spaces, was '" + name + "'");
            }
        }
        return p;
    }

    /** Returns these settings, or throws one {@link BrokerException} naming every problem. */
    public BrokerSettings validate() {
        Problems p = Problems.of("broker settings");
        problems().forEach(p::add);
        p.orThrow(BrokerException::new);
        return this;
    }

    private static void checkPort(List<String> p, String what, int value) {
        if (value < 0 || value > 65_535) p.add(what + " must be within 0..65535, was " + value);
    }

    @Override
    public String toString() {
        return "BrokerSettings[dataDir=" + dataDir + ", host=" + host + ", port=" + port
                + ", maxMessageBytes=" + maxMessageBytes + ", maxQueuedMessagesPerClient=" + maxQueuedMessagesPerClient
                + ", sessionExpiry=" + sessionExpiry + ", tls=" + tls + ", plainListener=" + plainListener
                + ", oemClients=" + oemClients + ", topics=" + topics.root() + "]";
    }

    /** Collects settings; {@link #build()} validates them. */
    public static final class Builder {
        private final Path dataDir;
        private String host = "127.0.0.1";
        private int port = 1883;
        private int maxMessageBytes = 10 * 1024 * 1024;
        private int maxQueuedMessagesPerClient = 100_000;
        private Duration sessionExpiry = Duration.ofDays(7);
        private TlsListener tls;
        private boolean plainListener = true;
        private final Set<String> oemClients = new LinkedHashSet<>();
        private Topics topics = Topics.standard();

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** The address both listeners bind to and clients are told to use. Default {@code 127.0.0.1}. */
        public Builder host(String host) { this.host = host; return this; }

        /** The plain listener's port; 0 picks a free one. Default 1883. */
        public Builder port(int port) { this.port = port; return this; }

        /** The largest MQTT packet a client may send, in bytes. Default 10 MiB: a package at its 8 MiB limit with its instruction fits. */
        public Builder maxMessageBytes(int bytes) { this.maxMessageBytes = bytes; return this; }

        /** Messages queued for one client (offline or slow) before new ones are dropped. Default 100 000. */
        public Builder maxQueuedMessagesPerClient(int count) { this.maxQueuedMessagesPerClient = count; return this; }

        /** The longest a disconnected persistent session (and its queue) is kept. Default 7 days. */
        public Builder sessionExpiry(Duration expiry) { this.sessionExpiry = expiry; return this; }

        /** Adds a TLS listener requiring client certificates and enforcing the topic ACLs. Default none. */
        public Builder tls(TlsListener tls) { this.tls = Objects.requireNonNull(tls, "tls"); return this; }

        /** Whether the plain, unauthenticated listener is on (all topics open). Default true. */
        public Builder plainListener(boolean on) { this.plainListener = on; return this; }

        /**
         * OEM client names ({@code serve-1} for the identity {@code oem/serve-1}) that Mosquitto's ACL file
         * grants OEM access; Mosquitto can only name users. The embedded broker grants every {@code oem/*}
         * identity chained to the root and ignores this list. Default empty.
         */
        public Builder oemClients(java.util.Collection<String> names) {
            oemClients.clear();
            oemClients.addAll(names);
            return this;
        }

        /** The topic layout whose root the TLS listener's access rules confine parties to. Default {@link Topics#standard()}. */
        public Builder topics(Topics topics) { this.topics = Objects.requireNonNull(topics, "topics"); return this; }

        public BrokerSettings build() {
            return new BrokerSettings(this).validate();
        }
    }
}
