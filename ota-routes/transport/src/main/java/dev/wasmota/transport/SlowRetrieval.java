package dev.wasmota.transport;

import java.time.Duration;

/**
 * An MQTT packet that did not arrive within its {@link PacketGuard} deadline (Uptane's slow
 * retrieval): from whom, what, how far it got and how long it was allowed. The connection is
 * dropped when this is reported; an unacknowledged QoS 1 message comes again after reconnecting.
 *
 * @param packetBytes the packet's remaining length, or -1 when its fixed header itself was cut short
 */
public record SlowRetrieval(String peer, String packetType, long packetBytes, long receivedBytes, Duration elapsed,
                            Duration allowed) {
    private static final String[] TYPES = {"RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL",
        "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"};

    /** The MQTT control packet type named by a fixed header's first byte. */
    public static String typeOf(int firstByte) {
        return TYPES[(firstByte >>> 4) & 0x0f];
    }

    /** One line for a log, an audit record or an exception. */
    public String reason() {
        return "slow retrieval: MQTT " + packetType + (packetBytes < 0 ? " header" : " of " + packetBytes + " bytes")
                + " from " + peer + " incomplete after " + elapsed.toMillis() + " ms (" + receivedBytes
                + " bytes received, " + allowed.toMillis() + " ms allowed)";
    }

    /** Hears breaches, e.g. to write a security event; called once per dropped connection, on any thread. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = event -> {
        };

        void slowRetrieval(SlowRetrieval event);
    }
}
