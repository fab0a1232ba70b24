package dev.wasmota.oem.campaign;

import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The campaign commands' outbox hook: once a step has committed (its instructions are in the
 * database outbox already, for the serving workers), each instruction is also written durably at
 * {@code <dir>/<vehicleId>/<counter>-<instructionId>.wotains}, and each package it names once, at
 * {@code <dir>/packages/<packageSha256>.wotapkg}, for delivery by hand ({@code ota ecu install
 * --package ... --instruction ...}). Nothing reads these files back: a vehicle given one by hand as
 * well as over MQTT takes the second as a no-op.
 */
public final class FileOutbox implements Outbox {
    /** The outbox directory inside the OEM directory. */
    public static final String DIR = "outbox";
    public static final String PACKAGES = "packages";
    /** The extension of trust update messages. */
    public static final String TRUST_EXTENSION = ".wotatrust";
    /** The name prefix of trust update messages: {@code 0-} sorts before any instruction counter (they start at 1). */
    public static final String TRUST_PREFIX = "0-trust-";

    private final Path dir;
    private final ReleaseStore releases;

    public FileOutbox(Path dir, ReleaseStore releases) {
        this.dir = dir.toAbsolutePath();
        this.releases = Objects.requireNonNull(releases, "releases");
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
        return dir.resolve(PACKAGES).resolve(packageSha256 + PackageFile.EXTENSION);
    }

    @Override
    public synchronized void deliver(IssuedInstruction issued) {
        try {
            Path pkg = packageFile(issued.instruction().packageSha256());
            if (!Files.exists(pkg)) {
                DurableFiles.createDirectories(pkg.getParent());
                DurableFiles.writeAtomic(pkg, releases.packageBytes(issued.release()));
            }
            Path file = instructionFile(issued);
            DurableFiles.createDirectories(file.getParent());
            DurableFiles.writeAtomic(file, issued.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write instruction " + issued.instruction().instructionId()
                    + " to " + dir, e);
        }
    }
}
