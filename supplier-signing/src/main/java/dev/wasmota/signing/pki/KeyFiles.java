package dev.wasmota.signing.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes key and certificate files: whole or not at all, private keys readable by the owner only. */
final class KeyFiles {
    private KeyFiles() {
    }

    /** Writes a private key file (mode 0600); refuses to overwrite an existing one. */
    static void writeSecret(Path file, String pem) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite a private key");
        }
        write(file, pem, true);
    }

    static void writePublic(Path file, String pem) throws IOException {
        write(file, pem, false);
    }

    private static void write(Path file, String pem, boolean secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the directory's permissions protect the key
            }
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            if (secret) {
                Files.createLink(file, tmp);
            } else {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
