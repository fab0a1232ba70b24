package dev.wasmota.broker.internal;

import dev.wasmota.broker.BrokerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** File steps of broker set-up, each failing as one {@link BrokerException} that names the file. */
public final class BrokerFiles {
    private BrokerFiles() {
    }

    public static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BrokerException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    public static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new BrokerException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
