package dev.wasmota.broker;

import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Mosquitto 2's configuration and ACL file for {@link BrokerSettings}, so Mosquitto enforces the
 * limits and the topic model ({@link dev.wasmota.protocol.TopicPolicy}) the embedded broker does:
 * the plain listener open (as on the embedded broker), the TLS listener requiring a client
 * certificate chained to the OEM root, its CN ({@code vehicle/VIN1}) taken as the user name, and
 * the ACL file applied. {@code ota broker mosquitto-config} writes these for a deployment; the
 * Mosquitto test fixture runs the same text.
 */
public final class MosquittoFiles {
    /** The configuration file's name in the directory the files are written to. */
    public static final String CONFIG = "mosquitto.conf";
    /** The ACL file's name beside it. */
    public static final String ACL = "acl";

    private MosquittoFiles() {
    }

    /**
     * The configuration: persistence in {@code persistence}, the ACL read from {@code acl}, a plain
     * listener on {@code plainPort} and a TLS one on {@code tlsPort} (each only when not negative),
     * and Mosquitto running as {@code user} when given (else its default: {@code mosquitto} when
     * started as root).
     */
    public static String config(BrokerSettings s, Path persistence, Path acl, int plainPort, int tlsPort,
                                Optional<String> user) {
        StringBuilder c = new StringBuilder(512)
                .append("# wasmota: generated from the broker settings; the ACL beside it from TopicPolicy\n")
                .append("per_listener_settings true\n");
        user.ifPresent(u -> c.append("user ").append(u).append('\n'));
        c.append("persistence true\n")
                .append("persistence_location ").append(persistence.toAbsolutePath()).append("/\n")
                .append("log_dest stdout\n")
                .append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n")
                .append("connection_messages true\n")
                .append("max_packet_size ").append(s.maxMessageBytes()).append('\n')
                .append("max_queued_messages ").append(s.maxQueuedMessagesPerClient()).append('\n')
                .append("max_inflight_messages 1000\n")
                .append("persistent_client_expiration ").append(hours(s)).append("h\n");
        if (plainPort >= 0) {
            c.append("\nlistener ").append(plainPort).append(' ').append(s.host()).append('\n')
                    .append("allow_anonymous true\n");
        }
        if (tlsPort >= 0) {
            Path material = s.tls().orElseThrow(() -> new BrokerException("a TLS listener needs the broker's credential"))
                    .materialDir().toAbsolutePath();
            c.append("\nlistener ").append(tlsPort).append(' ').append(s.host()).append('\n')
                    .append("cafile ").append(material.resolve("ca.pem")).append('\n')
                    .append("certfile ").append(material.resolve("cert.pem")).append('\n')
                    .append("keyfile ").append(material.resolve("key.pem")).append('\n')
                    .append("require_certificate true\n")
                    .append("use_identity_as_username true\n")
                    .append("allow_anonymous false\n")
                    .append("acl_file ").append(acl.toAbsolutePath()).append('\n');
        }
        return c.toString();
    }

    /** The ACL file: the settings' topic policy, with full access for the named OEM workers (in name order: the same settings, the same file). */
    public static String acl(BrokerSettings s) {
        return s.topicPolicy().mosquittoAcl(new TreeSet<>(s.oemClients()));
    }

    private static long hours(BrokerSettings s) {
        long seconds = s.sessionExpiry().toSeconds();
        return Math.max(1, (seconds + 3599) / 3600);
    }
}
