package dev.wasmota.broker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The Mosquitto test fixture's configuration: {@link MosquittoFiles}'s, persistence and the ACL
 * file in {@code dir}, Mosquitto running as this JVM's user.
 */
final class MosquittoConfig {

    private MosquittoConfig() {
    }

    static String render(BrokerSettings s, Path dir, int plainPort, int tlsPort) {
        return MosquittoFiles.config(s, dir, dir.resolve(MosquittoFiles.ACL), plainPort, tlsPort,
                Optional.of(System.getProperty("user.name")));
    }
}
