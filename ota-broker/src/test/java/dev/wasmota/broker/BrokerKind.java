package dev.wasmota.broker;

/** The broker implementations a test can run against, e.g. with {@code @EnumSource(BrokerKind.class)}. */
public enum BrokerKind {
    /** HiveMQ CE inside this JVM: what the product ships. */
    EMBEDDED {
        @Override
        public Broker start(BrokerSettings settings) {
            return EmbeddedBroker.start(settings);
        }
    },
    /** Mosquitto 2.0 as a child process: an independent second implementation. */
    MOSQUITTO {
        @Override
        public Broker start(BrokerSettings settings) {
            return MosquittoBroker.start(settings);
        }
    };

    public abstract Broker start(BrokerSettings settings);
}
