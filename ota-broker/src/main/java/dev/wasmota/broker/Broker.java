package dev.wasmota.broker;

import java.util.Optional;

/** A running MQTT 5 broker the pipeline connects to; closing it stops it. */
public interface Broker extends AutoCloseable {

    /** The plain listener, {@code tcp://127.0.0.1:<port>}; throws {@link BrokerException} if it was turned off. */
    String url();

    /** The TLS listener, {@code ssl://127.0.0.1:<port>}, when one is configured. */
    Optional<String> tlsUrl();

    /** Stops the broker; calling it again does nothing. */
    @Override
    void close();
}
