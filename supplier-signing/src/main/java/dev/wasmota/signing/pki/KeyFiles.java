package dev.wasmota.signing.pki;

import dev.wasmota.contract.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes key and certificate files: whole or not at all, private keys readable by the owner only. */
public final class KeyFiles {
    private KeyFiles() {
    }

    /**
     * Writes a private key file (mode 0600). Refuses to overwrite an existing one: the file is
     * linked into place, which fails atomically if the name is taken.
     */
    public static void writeSecret(Path file, String pem) throws IOException {
        Path tmp = DurableFiles.writeTemp(file, pem.getBytes(StandardCharsets.US_ASCII));
        try {
            setMode(tmp, "rw-------");
            Files.createLink(file, tmp);
            DurableFiles.fsyncDirectory(file.toAbsolutePath().getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes a re-issuable secret, such as a TLS key or key store (mode 0600), replacing any earlier
     * one atomically.
     */
    public static void replaceSecret(Path file, byte[] data) throws IOException {
        replace(file, data, "rw-------");
    }

    /** Writes a certificate or request file (mode 0644), replacing any earlier one atomically. */
    public static void writePublic(Path file, String pem) throws IOException {
        writePublic(file, pem.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes a public file such as a trust store (mode 0644), replacing any earlier one atomically. */
    public static void writePublic(Path file, byte[] data) throws IOException {
        replace(file, data, "rw-r--r--");
    }

    private static void replace(Path file, byte[] data, String mode) throws IOException {
        Path tmp = DurableFiles.writeTemp(file, data);
        try {
            setMode(tmp, mode);
            DurableFiles.moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void setMode(Path file, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the directory's permissions protect the key
        }
    }
}
