package dev.wasmota.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A TLS listener that requires a client certificate chained to the OEM root.
 *
 * @param port        the port, 0 to pick a free one
 * @param materialDir holds {@code key.pem}, {@code cert.pem} and {@code ca.pem} as written by
 *                    {@code dev.wasmota.protocol.tls.TlsMaterial.writePem}; {@code ca.pem} is the root clients must chain to
 */
public record TlsListener(int port, Path materialDir) {

    public TlsListener {
        Objects.requireNonNull(materialDir, "materialDir");
    }
}
