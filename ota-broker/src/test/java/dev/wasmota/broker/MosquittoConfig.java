package dev.wasmota.broker;

import java.nio.file.Path;
import java.util.Set;

/**
 * Mosquitto's configuration and ACL file for {@link BrokerSettings}. Listener settings are per listener:
 * the plain listener is open (as on the embedded broker); the TLS listener requires a client certificate,
 * takes its CN ({@code vehicle/VIN1}) as the user name and applies the ACL file.
 */
final class MosquittoConfig {

    private MosquittoConfig() {
    }

    static String render(BrokerSettings s, Path dir, int plainPort, int tlsPort) {
        StringBuilder c = new StringBuilder(512)
                .append("per_listener_settings true\n")
                .append("user ").append(System.getProperty("user.name")).append('\n')
                .append("persistence true\n")
                .append("persistence_location ").append(dir).append("/\n")
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
            Path material = s.tls().orElseThrow().materialDir().toAbsolutePath();
            c.append("\nlistener ").append(tlsPort).append(' ').append(s.host()).append('\n')
                    .append("cafile ").append(material.resolve("ca.pem")).append('\n')
                    .append("certfile ").append(material.resolve("cert.pem")).append('\n')
                    .append("keyfile ").append(material.resolve("key.pem")).append('\n')
                    .append("require_certificate true\n")
                    .append("use_identity_as_username true\n")
                    .append("allow_anonymous false\n")
                    .append("acl_file ").append(dir.resolve("acl")).append('\n');
        }
        return c.toString();
    }

    private static long hours(BrokerSettings s) {
        long seconds = s.sessionExpiry().toSeconds();
        return Math.max(1, (seconds + 3599) / 3600);
    }
}
