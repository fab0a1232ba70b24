package dev.wasmota.oem.campaign;

import dev.wasmota.signing.io.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default {@link Outbox}: each instruction durably at
 * {@code <dir>/<vehicleId>/<counter>-<instructionId>.wotains}, and each package it names once, at
 * {@code <dir>/packages/<packageSha256>.wotapkg}, ready for {@code ota ecu install --package
 * ... --instruction ...} or a route that sends both.
 */
public final class FileOutbox implements Outbox {
    /** The outbox directory inside the OEM directory. */
    public static final String DIR = "outbox";
    public static final String PACKAGES = "packages";

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
