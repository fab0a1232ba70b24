package dev.wasmota.routes.oem;

import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The OEM's trust anchors with the revocations in force now: read again whenever
 * {@code vehicle-trust/}'s trust update file changed ({@code ota oem revoke} replaces it by an
 * atomic rename), so a vehicle key revoked while the worker runs is refused from its next status
 * report on, without a restart; kept in memory otherwise, since every report is checked against it.
 */
final class CurrentTrust implements Supplier<TrustStore> {
    private final OemPki pki;
    private Object seen;
    private TrustStore current;

    CurrentTrust(OemPki pki) {
        this.pki = pki;
    }

    @Override
    public synchronized TrustStore get() {
        Object now = version(pki.trustUpdateFile());
        if (current == null || !Objects.equals(now, seen)) {
            current = pki.trustStore();
            seen = now;
        }
        return current;
    }

    /** What identifies one version of the file: its key (inode) where the system has one, size and time. */
    private static Object version(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return java.util.List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            return "none";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
