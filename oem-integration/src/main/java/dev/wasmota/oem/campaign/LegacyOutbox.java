package dev.wasmota.oem.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The outbox of earlier versions, files that {@code oem serve} claimed into {@value #CLAIMED} and
 * moved into {@value #SENT}: an OEM directory that served with it may hold instructions that never
 * reached their vehicle. When one is first opened, every unanswered instruction the database outbox
 * does not hold is queued there ({@link CampaignService#queueUnanswered}), and those directories
 * are renamed {@code .imported}, so it happens once. (The {@code outbox/} directory stays: the
 * campaign commands still write their files there for delivery by hand.)
 */
final class LegacyOutbox {
    static final String CLAIMED = "outbox-claimed";
    static final String SENT = "outbox-sent";

    private LegacyOutbox() {
    }

    /** Returns how many instructions were queued again; 0 when {@code oemDir} never served with the file outbox. */
    static int importInto(CampaignService service, Path oemDir) {
        List<Path> dirs = List.of(oemDir.resolve(CLAIMED), oemDir.resolve(SENT));
        if (dirs.stream().noneMatch(Files::isDirectory)) {
            return 0;
        }
        int queued = service.queueUnanswered();
        for (Path d : dirs) {
            try {
                Files.move(d, d.resolveSibling(d.getFileName() + ".imported"), StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException gone) {
                // absent, or another process renamed it meanwhile
            } catch (IOException e) {
                throw new UncheckedIOException("cannot rename " + d + " once its instructions were queued", e);
            }
        }
        return queued;
    }
}
