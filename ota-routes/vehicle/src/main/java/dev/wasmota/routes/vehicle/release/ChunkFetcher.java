package dev.wasmota.routes.vehicle.release;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.release.ChunkMessage;
import dev.wasmota.protocol.release.ReleaseIndex;
import dev.wasmota.protocol.release.ReleaseInstruction;
import dev.wasmota.protocol.release.TransferFailure;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pki.TrustStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A vehicle's side of a release published in chunks. A release instruction ({@code WOTR}) whose
 * campaign instruction verifies for this vehicle starts a transfer: the fetcher subscribes to the
 * release's signed index, then to the chunks it does not have, a window at a time, and keeps each
 * chunk in its {@link DiskChunkStore} only once it hashes to its entry in the signed index. A
 * refused chunk (damaged, or of another release) is asked for again; a transfer that made no
 * progress for {@code stall} (a lost connection, a lost or refused message) asks again for what is
 * missing, and so does a vehicle that starts with transfers on its disk. When the last chunk is
 * kept, the whole package is read back and checked against its digest, and handed over with its
 * instruction ({@link Assembled}) to be installed as a package sent whole would be: the host
 * verifies both signatures before it parses anything.
 */
public final class ChunkFetcher {
    /** Chunks asked for at once per transfer. */
    static final int WINDOW = 16;
    /** Refusals of one chunk answered at once by asking again; past this, only the stall timer asks. */
    static final int QUICK_RETRIES = 3;
    /** Transfers finished lately, whose late duplicates are dropped quietly rather than refused. */
    private static final int RECENT = 16;

    /** A complete, verified package and the signed instruction that named it. */
    public record Assembled(String packageSha256, byte[] instruction, byte[] packageFile) {
    }

    private static final class Active {
        final ReleaseInstruction instruction;
        ReleaseIndex index;
        final BitSet have;
        final Set<Integer> asked = new LinkedHashSet<>();
        final Map<Integer, Integer> refusals = new HashMap<>();
        Instant progress;

        Active(ReleaseInstruction instruction, Optional<ReleaseIndex> index, BitSet have, Instant now) {
            this.instruction = instruction;
            this.index = index.orElse(null);
            this.have = have;
            this.progress = now;
        }

        boolean complete() {
            return index != null && have.cardinality() == index.chunkCount();
        }
    }

    private final DiskChunkStore store;
    private final Topics topics;
    private final String vehicleId;
    private final Supplier<TrustStore> trust;
    private final Clock clock;
    private final Duration stall;
    private final ReleaseSubscriptions subscriptions;
    private final Map<String, Active> active = new LinkedHashMap<>();
    private final Set<String> recent = new LinkedHashSet<>();
    private long chunksKept;
    private long chunksRefused;

    public ChunkFetcher(DiskChunkStore store, Topics topics, String vehicleId, Supplier<TrustStore> trust, Clock clock,
                        Duration stall, ReleaseSubscriptions subscriptions) {
        this.store = store;
        this.topics = topics;
        this.vehicleId = vehicleId;
        this.trust = trust;
        this.clock = clock;
        this.stall = stall;
        this.subscriptions = subscriptions;
    }

    /**
     * Takes up the transfers on disk (after a restart): asks for each one's index or missing
     * chunks; a complete one asks for its last chunk again, whose arrival hands the package over.
     */
    public synchronized int resume() {
        for (DiskChunkStore.Transfer t : store.transfers(trust.get(), clock)) {
            Active a = new Active(t.instruction(), t.index(), t.have(), clock.instant());
            active.put(t.packageSha256(), a);
            if (a.complete()) {
                a.have.clear(a.index.chunkCount() - 1);
            }
            ask(t.packageSha256(), a);
        }
        return active.size();
    }

    /**
     * A release instruction arrived: verifies its campaign instruction for this vehicle, begins
     * (or continues) the transfer and asks for what is missing. Returns the package at once if the
     * transfer is already complete (the instruction delivered again after a crash).
     */
    public synchronized Optional<Assembled> instructed(byte[] payload) {
        ReleaseInstruction r = ReleaseInstruction.decode(payload);
        Instruction i = SignedInstruction.open(r.instruction(), trust.get(), clock);
        if (!i.vehicleId().equals(vehicleId)) {
            throw new RejectedException(InstructionFailure.WRONG_VEHICLE,
                    "instruction " + i.instructionId() + " is for vehicle " + i.vehicleId() + ", this is " + vehicleId);
        }
        if (!i.packageSha256().equals(r.packageSha256())) {
            throw new RejectedException(InstructionFailure.PACKAGE_MISMATCH, "instruction " + i.instructionId()
                    + " names package " + i.packageSha256() + "; the release instruction points at " + r.packageSha256());
        }
        store.begin(r, payload);
        recent.remove(r.packageSha256());
        Active a = active.get(r.packageSha256());
        if (a == null) {
            a = store.load(r.packageSha256(), trust.get(), clock)
                    .map(t -> new Active(t.instruction(), t.index(), t.have(), clock.instant()))
                    .orElseThrow(() -> new IllegalStateException("release transfer " + r.packageSha256() + " was not kept"));
            active.put(r.packageSha256(), a);
        }
        a.progress = clock.instant();
        if (a.complete()) {
            return Optional.of(assemble(r.packageSha256(), a, r));
        }
        ask(r.packageSha256(), a);
        return Optional.empty();
    }

    /**
     * A message from a release topic: a signed index ({@code WOTX}) or a chunk ({@code WOTK}).
     * Returns the package when this chunk completed it; an empty message (a release topic the OEM
     * cleared) is nothing. Refuses (and asks again for) an index that
     * does not verify or does not match its transfer, and a chunk that does not match its index
     * or belongs to a release this vehicle is not fetching.
     */
    public synchronized Optional<Assembled> received(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return Optional.empty();
        }
        if (ChunkMessage.isChunk(payload)) {
            return chunk(ChunkMessage.decode(payload, ReleaseIndex.MAX_CHUNK_BYTES));
        }
        ReleaseIndex x = ReleaseIndex.open(payload, trust.get(), clock);
        Active a = active.get(x.packageSha256());
        if (a == null) {
            return Optional.empty();
        }
        if (a.index != null) {
            return Optional.empty();
        }
        if (x.length() != a.instruction.length() || x.chunkCount() != a.instruction.chunkCount()) {
            throw new RejectedException(TransferFailure.BAD_RELEASE_INDEX, "release index of "
                    + x.packageSha256().substring(0, 12) + " gives " + x.length() + " bytes in " + x.chunkCount()
                    + " chunks; the release instruction said " + a.instruction.length() + " in " + a.instruction.chunkCount());
        }
        store.keepIndex(x.packageSha256(), payload);
        a.index = x;
        a.progress = clock.instant();
        subscriptions.unsubscribe(List.of(topics.releaseIndex(x.packageSha256())));
        ask(x.packageSha256(), a);
        return Optional.empty();
    }

    private Optional<Assembled> chunk(ChunkMessage c) {
        String sha = c.packageSha256();
        Active a = active.get(sha);
        if (a == null) {
            if (recent.contains(sha)) {
                return Optional.empty();
            }
            chunksRefused++;
            throw new RejectedException(TransferFailure.CHUNK_MISMATCH, "chunk " + c.index() + " of release "
                    + sha.substring(0, 12) + ", which this vehicle is not fetching");
        }
        if (a.index == null) {
            return Optional.empty();
        }
        if (!a.have.get(c.index())) {
            try {
                a.index.verifyChunk(c.index(), c.bytes());
            } catch (RejectedException e) {
                chunksRefused++;
                if (c.index() >= 0 && c.index() < a.index.chunkCount()
                        && a.refusals.merge(c.index(), 1, Integer::sum) <= QUICK_RETRIES) {
                    subscriptions.subscribe(List.of(topics.releaseChunk(sha, c.index())));
                }
                throw e;
            }
            store.keepChunk(sha, c.index(), c.bytes());
            a.have.set(c.index());
            chunksKept++;
            a.progress = clock.instant();
        }
        if (a.asked.remove(c.index())) {
            subscriptions.unsubscribe(List.of(topics.releaseChunk(sha, c.index())));
        }
        if (a.complete()) {
            return Optional.of(assemble(sha, a, a.instruction));
        }
        if (a.asked.size() <= WINDOW / 2) {
            ask(sha, a);
        }
        return Optional.empty();
    }

    /**
     * Asks again for what transfers that made no progress for the stall time are missing (a
     * connection lost and regained, a message lost, a chunk refused too often). Returns how many
     * transfers asked again.
     */
    public synchronized int tick() {
        Instant now = clock.instant();
        int n = 0;
        for (Map.Entry<String, Active> e : active.entrySet()) {
            Active a = e.getValue();
            if (!now.isBefore(a.progress.plus(stall))) {
                a.asked.clear();
                a.progress = now;
                ask(e.getKey(), a);
                n++;
            }
        }
        return n;
    }

    /** The package was installed (or refused): forgets its transfer and deletes its chunks. */
    public synchronized void done(String sha256) {
        Active a = active.remove(sha256);
        if (a != null && !a.asked.isEmpty()) {
            subscriptions.unsubscribe(a.asked.stream().map(i -> topics.releaseChunk(sha256, i)).toList());
        }
        store.remove(sha256);
        recent.add(sha256);
        if (recent.size() > RECENT) {
            recent.remove(recent.iterator().next());
        }
    }

    /** The chunks still missing of the transfer of {@code sha256}, or empty if there is none. */
    public synchronized Optional<List<Integer>> missing(String sha256) {
        Active a = active.get(sha256);
        if (a == null) {
            return Optional.empty();
        }
        List<Integer> m = new ArrayList<>();
        int count = a.index != null ? a.index.chunkCount() : a.instruction.chunkCount();
        for (int i = a.have.nextClearBit(0); i < count; i = a.have.nextClearBit(i + 1)) {
            m.add(i);
        }
        return Optional.of(m);
    }

    public synchronized long chunksKept() {
        return chunksKept;
    }

    public synchronized long chunksRefused() {
        return chunksRefused;
    }

    private Assembled assemble(String sha, Active a, ReleaseInstruction r) {
        byte[] pkg;
        try {
            pkg = store.assemble(a.index);
        } catch (RejectedException e) {
            done(sha);
            throw e;
        }
        return new Assembled(sha, r.instruction(), pkg);
    }

    private void ask(String sha, Active a) {
        if (a.index == null) {
            subscriptions.subscribe(List.of(topics.releaseIndex(sha)));
            return;
        }
        List<String> more = new ArrayList<>();
        int count = a.index.chunkCount();
        for (int i = a.have.nextClearBit(0); i < count && a.asked.size() < WINDOW; i = a.have.nextClearBit(i + 1)) {
            if (a.asked.add(i)) {
                more.add(topics.releaseChunk(sha, i));
            }
        }
        if (!more.isEmpty()) {
            subscriptions.subscribe(more);
        }
    }
}
