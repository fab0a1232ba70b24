package dev.wasmota.oem.campaign;

import dev.wasmota.contract.io.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default {@link Outbox}: each instruction durably at
 * {@code <dir>/<vehicleId>/<counter>-<instructionId>.wotains}, and each package it names once, at
 * {@code <dir>/packages/<packageSha256>.wotapkg}, ready for {@code ota ecu install --package
 * ... --instruction ...} or a route that sends both; and trust updates for each vehicle, at
 * {@code <dir>/<vehicleId>/0-trust-<sequence>.wotatrust}.
 */
public final class FileOutbox implements Outbox {
    /** The outbox directory inside the OEM directory. */
    public static final String DIR = "outbox";
    public static final String PACKAGES = "packages";
    /** The extension of trust update files in a vehicle's outbox. */
    public static final String TRUST_EXTENSION = ".wotatrust";
    /** The name prefix of trust update files: {@code 0-} sorts before any instruction counter (they start at 1). */
    public static final String TRUST_PREFIX = "0-trust-";

    private final Path dir;

    public FileOutbox(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    public Path directory() {
        return dir;
    }

    /** Where the instruction file of {@code issued} is written. */
    public Path instructionFile(IssuedInstruction issued) {
        return dir.resolve(issued.instruction().vehicleId()).resolve(issued.fileName());
    }

    /** Where the package named {@code packageSha256} is written. */
    public Path packageFile(String packageSha256) {
        return dir.resolve(PACKAGES).resolve(packageSha256 + dev.wasmota.signing.pkg.PackageFile.EXTENSION);
    }

    /**
     * Where the signed trust update {@code sequence} for {@code vehicleId} is written: named to sort
     * before every instruction file of that vehicle ({@value #TRUST_PREFIX}...), so a dispatcher
     * sends revocations before any install they may refuse.
     */
    public Path trustUpdateFile(String vehicleId, long sequence) {
        return dir.resolve(vehicleId).resolve(String.format(java.util.Locale.ROOT, "%s%016d%s", TRUST_PREFIX, sequence,
                TRUST_EXTENSION));
    }

    /** Writes a signed trust update durably for {@code vehicleId}; see {@link #trustUpdateFile}. */
    public synchronized Path deliverTrustUpdate(String vehicleId, long sequence, byte[] signed) {
        Path file = trustUpdateFile(vehicleId, sequence);
        try {
            DurableFiles.createDirectories(file.getParent());
            DurableFiles.writeAtomic(file, signed);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot queue trust update " + sequence + " to " + file, e);
        }
    }

    @Override
    public synchronized void deliver(IssuedInstruction issued) {
        try {
            Path pkg = packageFile(issued.instruction().packageSha256());
            if (!Files.exists(pkg)) {
                DurableFiles.createDirectories(pkg.getParent());
                DurableFiles.writeAtomic(pkg, Files.readAllBytes(issued.packageFile()));
            }
            Path file = instructionFile(issued);
            DurableFiles.createDirectories(file.getParent());
            DurableFiles.writeAtomic(file, issued.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot deliver instruction " + issued.instruction().instructionId()
                    + " to " + dir, e);
        }
    }
}
