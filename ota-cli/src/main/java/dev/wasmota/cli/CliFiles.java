package dev.wasmota.cli;

import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/** File handling shared by the commands: bounded reads with usage errors that name the file. */
public final class CliFiles {
    private CliFiles() {
    }

    /** Reads a whole file of at most {@code max} bytes; a bigger one is a usage error, checked before reading. */
    public static byte[] readBounded(CommandLine cmd, Path file, long max, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, what + " not found");
        }
        long size = Files.size(file);
        if (size > max) {
            throw new CommandLine.ParameterException(cmd, what + " " + file + " is " + size + " bytes; at most " + max);
        }
        return Files.readAllBytes(file);
    }

    public static ModulePackage readPackage(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "package not found");
        }
        return PackageFile.read(file);
    }
}
