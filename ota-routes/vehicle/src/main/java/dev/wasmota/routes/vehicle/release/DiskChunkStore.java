package dev.wasmota.routes.vehicle.release;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.protocol.release.ReleaseIndex;
import dev.wasmota.protocol.release.ReleaseInstruction;
import dev.wasmota.protocol.release.TransferFailure;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A vehicle's chunks of the releases it is fetching, on its own disk under
 * {@code STATE/releases/<sha256>/}: the release instruction that started the transfer, the signed
 * index once it came, and each chunk as {@code <n>.chunk}, written atomically only after it
 * verified against the index. What is there survives a restart; a chunk file found damaged is
 * deleted and fetched again. The store holds at most {@code maxBytes} of packages at once: a
 * transfer that would go past it is refused before anything of it is written.
 */
public final class DiskChunkStore {
    static final String DIR = "releases";
    private static final String INSTRUCTION = "instruction";
    private static final String INDEX = "index";
    private static final String CHUNK = ".chunk";

    private final Path root;
    private final long maxBytes;

    public DiskChunkStore(Path stateDir, long maxBytes) {
        this.root = stateDir.resolve(DIR);
        this.maxBytes = maxBytes;
    }

    /** A transfer's state as found on disk. */
    public record Transfer(ReleaseInstruction instruction, Optional<ReleaseIndex> index, BitSet have) {
        public String packageSha256() {
            return instruction.packageSha256();
        }

        /** The chunks still missing, in order; every chunk while the index is not known. */
        public List<Integer> missing() {
            List<Integer> m = new ArrayList<>();
            int count = index.map(ReleaseIndex::chunkCount).orElse(instruction.chunkCount());
            for (int i = have.nextClearBit(0); i < count; i = have.nextClearBit(i + 1)) {
                m.add(i);
            }
            return m;
        }

        public boolean complete() {
            return index.isPresent() && have.cardinality() == index.get().chunkCount();
        }
    }

    /**
     * Starts (or finds) the transfer of {@code r}'s package; refused
     * ({@link TransferFailure#TRANSFER_TOO_LARGE}) if it would take the store past its bound.
     */
    public synchronized void begin(ReleaseInstruction r, byte[] encoded) {
        Path dir = dir(r.packageSha256());
        if (Files.isDirectory(dir)) {
            write(dir.resolve(INSTRUCTION), encoded);
            return;
        }
        long held = held();
        if (r.length() > maxBytes - held) {
            throw new RejectedException(TransferFailure.TRANSFER_TOO_LARGE, "release " + r.packageSha256().substring(0, 12)
                    + " of " + r.length() + " bytes does not fit this vehicle's chunk store: " + held + " of "
                    + maxBytes + " bytes already held (ota.vehicle.chunkStoreBytes)");
        }
        write(dir.resolve(INSTRUCTION), encoded);
    }

    /** Keeps the verified {@code index} (as its signed frame) for its transfer. */
    public synchronized void keepIndex(String sha256, byte[] signedFrame) {
        write(dir(sha256).resolve(INDEX), signedFrame);
    }

    /** Keeps chunk {@code n}, which the caller verified against the signed index. */
    public synchronized void keepChunk(String sha256, int n, byte[] bytes) {
        write(dir(sha256).resolve(n + CHUNK), bytes);
    }

    /**
     * The transfers on disk, each with its index (verified again with {@code trust}: an index
     * that no longer verifies is dropped with its chunks) and the chunks that still hash right.
     */
    public synchronized List<Transfer> transfers(TrustStore trust, Clock clock) {
        List<Transfer> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                String sha = d.getFileName().toString();
                if (!Digests.SHA256_HEX.matcher(sha).matches() || !Files.isDirectory(d)) {
                    continue;
                }
                load(sha, trust, clock).ifPresentOrElse(out::add, () -> remove(sha));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return out;
    }

    /** The transfer of {@code sha256}, if one was begun (read from disk, chunks checked against its index). */
    public synchronized Optional<Transfer> load(String sha256, TrustStore trust, Clock clock) {
        Path d = dir(sha256);
        try {
            DurableFiles.removeTempFiles(d);
            if (!Files.isRegularFile(d.resolve(INSTRUCTION))) {
                return Optional.empty();
            }
            ReleaseInstruction r = ReleaseInstruction.decode(DurableFiles.readBounded(d.resolve(INSTRUCTION),
                    dev.wasmota.signing.instruction.SignedInstruction.MAX_FILE_BYTES + 1024));
            Optional<ReleaseIndex> index = Optional.empty();
            BitSet have = new BitSet();
            if (Files.isRegularFile(d.resolve(INDEX))) {
                try {
                    index = Optional.of(ReleaseIndex.open(DurableFiles.readBounded(d.resolve(INDEX), ReleaseIndex.MAX_FRAME_BYTES + 64L),
                            trust, clock));
                } catch (RejectedException e) {
                    DurableFiles.deleteDurably(d.resolve(INDEX));
                }
            }
            if (index.isPresent()) {
                ReleaseIndex x = index.get();
                for (int n = 0; n < x.chunkCount(); n++) {
                    Path c = d.resolve(n + CHUNK);
                    if (Files.isRegularFile(c)) {
                        if (intact(x, n, c)) {
                            have.set(n);
                        } else {
                            DurableFiles.deleteDurably(c);
                        }
                    }
                }
            }
            return Optional.of(new Transfer(r, index, have));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The whole package of a complete transfer, read back from its chunks and checked against its
     * digest before it is returned ({@link TransferFailure#PACKAGE_MISMATCH} otherwise).
     */
    public synchronized byte[] assemble(ReleaseIndex index) {
        byte[] pkg = new byte[Math.toIntExact(index.length())];
        Path d = dir(index.packageSha256());
        try {
            for (int n = 0; n < index.chunkCount(); n++) {
                byte[] c = DurableFiles.readBounded(d.resolve(n + CHUNK), index.chunkBytes());
                index.verifyChunk(n, c);
                System.arraycopy(c, 0, pkg, n * index.chunkBytes(), c.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read release " + index.packageSha256() + " back", e);
        }
        if (!MessageDigest.isEqual(Digests.sha256(pkg), java.util.HexFormat.of().parseHex(index.packageSha256()))) {
            throw new RejectedException(TransferFailure.PACKAGE_MISMATCH, "release " + index.packageSha256().substring(0, 12)
                    + " assembled from its verified chunks does not hash to its digest");
        }
        return pkg;
    }

    /** Deletes a transfer and its chunks (done, or dropped). */
    public synchronized void remove(String sha256) {
        Path d = dir(sha256);
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> files = Files.walk(d)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            DurableFiles.fsyncDirectory(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove release " + sha256 + "'s chunks", e);
        }
    }

    /** Bytes of packages the store is holding room for now: the length of every transfer begun. */
    public synchronized long held() {
        long sum = 0;
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                Path i = d.resolve(INSTRUCTION);
                if (Files.isRegularFile(i)) {
                    try {
                        sum += ReleaseInstruction.decode(DurableFiles.readBounded(i, 32 * 1024)).length();
                    } catch (RuntimeException e) {
                        sum += 0;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return sum;
    }

    private static boolean intact(ReleaseIndex x, int n, Path c) throws IOException {
        try {
            x.verifyChunk(n, DurableFiles.readBounded(c, x.chunkBytes()));
            return true;
        } catch (RejectedException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private Path dir(String sha256) {
        if (!Digests.SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a package digest: " + sha256);
        }
        return root.resolve(sha256);
    }

    private static void write(Path file, byte[] bytes) {
        try {
            DurableFiles.createDirectories(file.getParent());
            DurableFiles.writeAtomic(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
