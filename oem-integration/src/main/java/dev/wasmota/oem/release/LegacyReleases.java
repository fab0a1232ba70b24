package dev.wasmota.oem.release;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The release store of earlier versions: files under {@code <oem dir>/}{@value #DIR} listed in an
 * index ({@value #INDEX_FILE}). {@link #importInto} brings them into the OEM database once, in
 * publication order and with their publication times, each package checked against the digest
 * the index recorded (its signatures were verified when it was published); then the index is
 * renamed {@value #IMPORTED}, so later opens do not read it again. The files stay where they were.
 */
public final class LegacyReleases {
    public static final String DIR = "releases";
    public static final String INDEX_FILE = "index.json";
    public static final String IMPORTED = INDEX_FILE + ".imported";

    private LegacyReleases() {
    }

    /** Imports the file store of {@code oemDir} into {@code store}, if it has one not imported yet; returns how many releases. */
    public static int importInto(ReleaseStore store, Path oemDir) {
        Path dir = oemDir.resolve(DIR);
        Path index = dir.resolve(INDEX_FILE);
        if (!Files.isRegularFile(index)) {
            return 0;
        }
        int n = 0;
        try {
            for (ReleaseIndex.Entry e : ReleaseIndex.parse(DurableFiles.readBounded(index, ReleaseIndex.MAX_BYTES))) {
                byte[] pkg = DurableFiles.readBounded(dir.resolve(e.packagePath()), PackageFile.MAX_FILE_BYTES);
                if (!Digests.sha256Hex(pkg).equals(e.release().packageSha256())) {
                    throw new RejectedException(TrustFailure.DIGEST_MISMATCH, "the package file of " + e.release().id()
                            + " in " + dir + " no longer has the digest its index recorded; nothing more was imported");
                }
                Optional<byte[]> report = e.reportPath().isPresent()
                        ? Optional.of(DurableFiles.readBounded(dir.resolve(e.reportPath().get()), ReleaseStore.MAX_REPORT_BYTES))
                        : Optional.empty();
                store.insert(e.release(), pkg, report);
                n++;
            }
            Files.move(index, dir.resolve(IMPORTED), StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.fsyncDirectory(dir);
        } catch (NoSuchFileException e) {
            if (!Files.exists(dir.resolve(IMPORTED))) {
                throw new UncheckedIOException("cannot import the releases in " + dir, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import the releases in " + dir, e);
        }
        return n;
    }
}
