package dev.wasmota.routes.oem;

import dev.wasmota.oem.campaign.FileOutbox;
import dev.wasmota.oem.campaign.IssuedInstruction;
import dev.wasmota.oem.campaign.Outbox;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.wire.TrustUpdateMessage;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import dev.wasmota.signing.pki.TrustStore;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;

/**
 * The campaign outbox over MQTT (a transactional outbox): the campaign service writes each signed
 * instruction durably to the {@link FileOutbox} once its transaction committed; this dispatcher
 * claims each file by an atomic rename (so several OEM workers never send one twice), publishes it
 * with its package to the vehicle's update topic at QoS 1, and moves it to {@code outbox-sent/}
 * once the broker acknowledged. A failed publish puts it back; a crash leaves it claimed, and the
 * worker puts its claims back when it starts. Files written by other processes (the campaign
 * commands) are found by a directory scan every {@code scanEvery}. Trust updates queued for a
 * vehicle ({@link FileOutbox#TRUST_EXTENSION}) travel the same way, as {@link TrustUpdateMessage}s,
 * ahead of that vehicle's instructions.
 */
public final class OutboxDispatcher implements Outbox {
    public static final String CLAIMED_DIR = "outbox-claimed";
    public static final String SENT_DIR = "outbox-sent";
    /** Exchange property: the claimed {@link Outgoing} on its way. */
    public static final String OUTGOING = "otaOutgoing";
    /** Exchange property: what is on its way, the opened {@link Instruction} or {@link dev.wasmota.signing.pki.TrustUpdate}. */
    public static final String CONTENT = "otaOutgoingContent";
    private static final int PACKAGE_CACHE = 8;

    /** One claimed instruction on its way. */
    public record Outgoing(String vehicleId, String fileName, Path claimed) {
    }

    private final FileOutbox outbox;
    private final Path claimDir;
    private final Path sentDir;
    private final TrustStore trust;
    private final Topics topics;
    private final Clock clock;
    private final Duration scanEvery;
    private final ConcurrentLinkedQueue<Path> delivered = new ConcurrentLinkedQueue<>();
    private final Map<String, byte[]> packages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > PACKAGE_CACHE;
        }
    };
    /**
     * When the last full scan ran, on the monotonic clock: the period must not depend on the wall
     * clock (fixed in tests; set back by a time sync in the field, which would stop the rescans
     * that put back instructions whose publishing failed).
     */
    private long lastScanNanos;
    private boolean scanned;

    public OutboxDispatcher(Path oemDir, String worker, TrustStore trust, Topics topics, Clock clock, Duration scanEvery) {
        this.outbox = new FileOutbox(oemDir.resolve(FileOutbox.DIR));
        this.claimDir = oemDir.toAbsolutePath().resolve(CLAIMED_DIR).resolve(worker);
        this.sentDir = oemDir.toAbsolutePath().resolve(SENT_DIR);
        this.trust = trust;
        this.topics = topics;
        this.clock = clock;
        this.scanEvery = scanEvery;
    }

    /** Writes the instruction to the file outbox and queues it for the next dispatch. */
    @Override
    public void deliver(IssuedInstruction issued) {
        outbox.deliver(issued);
        delivered.add(outbox.instructionFile(issued));
    }

    /** Queues outbox files written in this process (trust updates) for the next dispatch. */
    public void enqueue(List<Path> files) {
        delivered.addAll(files);
    }

    /** Puts back what this worker had claimed when it stopped (crash recovery); returns how many. */
    public synchronized int recover() {
        int n = 0;
        for (Path vehicleDir : list(claimDir)) {
            for (Path f : list(vehicleDir)) {
                if (move(f, outbox.directory().resolve(vehicleDir.getFileName()).resolve(f.getFileName()))) {
                    n++;
                }
            }
        }
        scanned = false;
        return n;
    }

    /**
     * Delivers again each of {@code unanswered} (the campaign service's unanswered instructions)
     * that the outbox holds nowhere: not waiting, not claimed by any worker, not sent. A campaign
     * step delivers its instructions once its transaction committed, so a process killed in
     * between leaves them recorded but undelivered; the worker calls this when it starts. An
     * instruction moving between those places while it is checked may be delivered twice, which
     * the vehicle's instruction ledger makes harmless. Returns how many were delivered.
     */
    public synchronized int redeliverMissing(List<IssuedInstruction> unanswered) {
        int n = 0;
        for (IssuedInstruction i : unanswered) {
            if (!held(i.instruction().vehicleId(), i.fileName())) {
                deliver(i);
                n++;
            }
        }
        return n;
    }

    private boolean held(String vehicleId, String fileName) {
        if (Files.exists(outbox.directory().resolve(vehicleId).resolve(fileName))) {
            return true;
        }
        for (Path worker : list(claimDir.getParent())) {
            if (Files.exists(worker.resolve(vehicleId).resolve(fileName))) {
                return true;
            }
        }
        return Files.exists(sentDir.resolve(vehicleId).resolve(fileName));
    }

    /** Claims what is waiting: the instructions delivered in this process, and every scan period all of them. */
    public synchronized List<Outgoing> take() {
        List<Path> waiting = new ArrayList<>();
        for (Path p; (p = delivered.poll()) != null; ) {
            waiting.add(p);
        }
        long now = System.nanoTime();
        if (!scanned || now - lastScanNanos >= scanEvery.toNanos()) {
            scanned = true;
            lastScanNanos = now;
            for (Path vehicleDir : list(outbox.directory())) {
                if (!vehicleDir.getFileName().toString().equals(FileOutbox.PACKAGES) && Files.isDirectory(vehicleDir)) {
                    for (Path f : list(vehicleDir)) {
                        if (isOutgoing(f) && !waiting.contains(f)) {
                            waiting.add(f);
                        }
                    }
                }
            }
        }
        waiting.sort(null);
        List<Outgoing> claimed = new ArrayList<>();
        for (Path f : waiting) {
            String vehicle = f.getParent().getFileName().toString();
            Path to = claimDir.resolve(vehicle).resolve(f.getFileName());
            if (move(f, to)) {
                claimed.add(new Outgoing(vehicle, f.getFileName().toString(), to));
            }
        }
        return claimed;
    }

    private static boolean isOutgoing(Path f) {
        String name = f.getFileName().toString();
        return name.endsWith(IssuedInstruction.EXTENSION) || name.endsWith(FileOutbox.TRUST_EXTENSION);
    }

    /** Turns the exchange's {@link Outgoing} into the update (or trust update) message for its vehicle's topic. */
    public void message(Exchange ex) throws IOException {
        Outgoing o = ex.getIn().getBody(Outgoing.class);
        if (o.fileName().endsWith(FileOutbox.TRUST_EXTENSION)) {
            trustMessage(ex, o);
            return;
        }
        byte[] instructionFile = DurableFiles.readBounded(o.claimed(), SignedInstruction.MAX_FILE_BYTES);
        Instruction i = SignedInstruction.open(instructionFile, trust, clock);
        ex.setProperty(OUTGOING, o);
        ex.setProperty(CONTENT, i);
        ex.getIn().setHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, topics.update(i.vehicleId()));
        ex.getIn().setBody(new UpdateMessage(instructionFile, packageBytes(i.packageSha256())).encode());
    }

    /** A trust update, checked against the root before it leaves, for {@code o}'s vehicle. */
    private void trustMessage(Exchange ex, Outgoing o) throws IOException {
        byte[] file = DurableFiles.readBounded(o.claimed(), SignedTrustUpdate.MAX_FILE_BYTES);
        ex.setProperty(CONTENT, SignedTrustUpdate.open(file, trust.root()));
        ex.setProperty(OUTGOING, o);
        ex.getIn().setHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, topics.update(o.vehicleId()));
        ex.getIn().setBody(new TrustUpdateMessage(file).encode());
    }

    /** The broker acknowledged: the instruction moves to {@code outbox-sent/}. */
    public void sent(Exchange ex) {
        Outgoing o = ex.getProperty(OUTGOING, Outgoing.class);
        move(o.claimed(), sentDir.resolve(o.vehicleId()).resolve(o.fileName()));
    }

    /** Publishing failed: the instruction goes back to the outbox for the next scan. */
    public void unclaim(Exchange ex) {
        Outgoing o = ex.getProperty(OUTGOING, Outgoing.class);
        if (o == null) {
            o = ex.getIn().getBody(Outgoing.class);
        }
        if (o != null) {
            move(o.claimed(), outbox.directory().resolve(o.vehicleId()).resolve(o.fileName()));
        }
    }

    private byte[] packageBytes(String sha256) throws IOException {
        synchronized (packages) {
            byte[] cached = packages.get(sha256);
            if (cached != null) {
                return cached;
            }
        }
        byte[] bytes = DurableFiles.readBounded(outbox.packageFile(sha256), PackageFile.MAX_FILE_BYTES);
        synchronized (packages) {
            packages.put(sha256, bytes);
        }
        return bytes;
    }

    private static boolean move(Path from, Path to) {
        try {
            DurableFiles.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException | FileAlreadyExistsException e) {
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("the outbox needs atomic renames within " + from.getParent().getParent(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }
}
