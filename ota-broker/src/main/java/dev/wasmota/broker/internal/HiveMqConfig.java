package dev.wasmota.broker.internal;

import dev.wasmota.broker.BrokerSettings;
import java.nio.file.Path;

/** Renders HiveMQ CE's {@code config.xml} from {@link BrokerSettings} and the resolved ports. */
public final class HiveMqConfig {

    /** The TLS part of the listener section: PKCS12 stores and their password. */
    public record TlsStores(int port, Path keyStore, Path trustStore, String password) {
    }

    private HiveMqConfig() {
    }

    /** The document; {@code plainPort} is ignored when the plain listener is off, {@code tls} may be null. */
    public static String render(BrokerSettings s, int plainPort, TlsStores tls) {
        StringBuilder xml = new StringBuilder(1024);
        xml.append("<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n");
        if (s.plainListener()) {
            xml.append("    <tcp-listener>\n      <port>").append(plainPort).append("</port>\n")
                    .append("      <bind-address>").append(escape(s.host())).append("</bind-address>\n")
                    .append("      <name>plain</name>\n    </tcp-listener>\n");
        }
        if (tls != null) {
            xml.append("    <tls-tcp-listener>\n      <port>").append(tls.port()).append("</port>\n")
                    .append("      <bind-address>").append(escape(s.host())).append("</bind-address>\n")
                    .append("      <name>tls</name>\n      <tls>\n")
                    .append("        <keystore>\n          <path>").append(escape(tls.keyStore().toString())).append("</path>\n")
                    .append("          <password>").append(escape(tls.password())).append("</password>\n")
                    .append("          <private-key-password>").append(escape(tls.password()))
                    .append("</private-key-password>\n        </keystore>\n")
                    .append("        <truststore>\n          <path>").append(escape(tls.trustStore().toString())).append("</path>\n")
                    .append("          <password>").append(escape(tls.password())).append("</password>\n        </truststore>\n")
                    .append("        <client-authentication-mode>REQUIRED</client-authentication-mode>\n")
                    .append("      </tls>\n    </tls-tcp-listener>\n");
        }
        xml.append("  </listeners>\n  <mqtt>\n")
                .append("    <queued-messages>\n      <max-queue-size>").append(s.maxQueuedMessagesPerClient())
                .append("</max-queue-size>\n      <strategy>discard</strategy>\n    </queued-messages>\n")
                .append("    <session-expiry>\n      <max-interval>").append(s.sessionExpiry().toSeconds())
                .append("</max-interval>\n    </session-expiry>\n")
                .append("    <packets>\n      <max-packet-size>").append(s.maxMessageBytes())
                .append("</max-packet-size>\n    </packets>\n")
                .append("    <receive-maximum>\n      <server-receive-maximum>65535</server-receive-maximum>\n")
                .append("    </receive-maximum>\n  </mqtt>\n")
                .append("  <persistence>\n    <mode>file</mode>\n  </persistence>\n")
                .append("  <anonymous-usage-statistics>\n    <enabled>false</enabled>\n  </anonymous-usage-statistics>\n")
                .append("</hivemq>\n");
        return xml.toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
