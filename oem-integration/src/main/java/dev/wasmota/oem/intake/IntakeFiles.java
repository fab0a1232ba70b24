package dev.wasmota.oem.intake;

import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an intake's outcome goes on disk: the countersigned package at {@code OUT} (only when
 * accepted) and the report at {@code OUT.report.json} (always, for a refusal too, so the supplier
 * can be told which check refused and why). Each file is written whole or not at all, the report
 * first, so a release never appears without its report.
 */
public final class IntakeFiles {
    private IntakeFiles() {
    }

    /** {@code OUT.report.json}. */
    public static Path reportPath(Path out) {
        return out.resolveSibling(out.getFileName() + IntakeReportJson.SUFFIX);
    }

    /** Refuses to run when {@code out} exists: a release, once written, is never replaced. */
    public static void requireAbsent(Path out) throws FileAlreadyExistsException {
        if (Files.exists(out)) {
            throw new FileAlreadyExistsException(out.toString(), null, "a release is never overwritten");
        }
    }

    /** Writes the report and, when accepted, the release; returns the report's path. */
    public static Path write(IntakeResult result, Path out) throws IOException {
        Path report = reportPath(out);
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null) {
            DurableFiles.createDirectories(dir);
        }
        DurableFiles.writeAtomic(report, IntakeReportJson.bytes(result.report()));
        if (result.accepted()) {
            requireAbsent(out);
            PackageFile.write(out, result.release());
        }
        return report;
    }
}
