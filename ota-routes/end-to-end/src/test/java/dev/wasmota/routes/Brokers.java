package dev.wasmota.routes;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.broker.BrokerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** One broker of each kind for a test class, started on first use and stopped together at the end. */
final class Brokers implements AutoCloseable {
    private final Map<BrokerKind, Broker> started = new EnumMap<>(BrokerKind.class);

    /** The settings every end-to-end test runs a broker with: a free port, messages up to 10 MiB. */
    static BrokerSettings settings(Path data) {
        return BrokerSettings.builder(data).port(0).maxMessageBytes(10 * 1024 * 1024).build();
    }

    synchronized Broker get(BrokerKind kind) throws IOException {
        Broker b = started.get(kind);
        if (b == null) {
            b = kind.start(settings(Files.createTempDirectory("broker-" + kind.name().toLowerCase())));
            started.put(kind, b);
        }
        return b;
    }

    @Override
    public synchronized void close() {
        started.values().forEach(Broker::close);
        started.clear();
    }
}
