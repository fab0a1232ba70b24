package dev.wasmota.routes.oem;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditTrail;
import dev.wasmota.oem.campaign.IssuedInstruction;
import dev.wasmota.oem.campaign.Outbox;
import dev.wasmota.oem.campaign.OutboxQueue;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.release.ReleaseIndex;
import dev.wasmota.protocol.release.ReleaseInstruction;
import dev.wasmota.protocol.wire.ShadowCommandMessage;
import dev.wasmota.protocol.wire.TrustUpdateMessage;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.instruction.SignedShadowCommand;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import dev.wasmota.signing.pki.TrustStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The campaign outbox over MQTT: this worker claims messages from the database outbox
 * ({@link OutboxQueue}: one worker per message, per vehicle in order), publishes each with its
 * package to the vehicle's update topic at QoS 1, and marks it sent once the broker acknowledged
 * it; a failed publish puts it back, and a claim whose publish or "sent" mark failed otherwise is
 * put back at the next scan. A claim is this worker's while its lease is live; a worker
 * that dies has its claims taken over by another once its lease has run out (audited as
 * {@link AuditEvent#OEM_CLAIMS_TAKEN_OVER}), and a worker that starts puts back what it held
 * before. Steps committed in this process wake it at once; steps of other processes (the campaign
 * commands, other workers) are found by a look at the outbox every {@code scanEvery}. Trust
 * updates travel the same way, as {@link TrustUpdateMessage}s, ahead of their vehicle's
 * instructions; operators' shadow commands as {@link ShadowCommandMessage}s, in order with them.
 */
public final class OutboxDispatcher implements Outbox {
    /** Most messages claimed in one round. */
    static final int BATCH = 256;
    private static final int PACKAGE_CACHE = 8;

    private final OutboxQueue queue;
    private final ReleaseStore releases;
    private final AuditTrail audit;
    private final String worker;
    private final Supplier<TrustStore> trust;
    private final Topics topics;
    private final Clock clock;
    private final Duration scanEvery;
    private final Map<String, byte[]> packages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > PACKAGE_CACHE;
        }
    };
    /**
     * When the outbox was last looked at, on the monotonic clock: the period must not depend on
     * the wall clock (fixed in tests; set back by a time sync in the field).
     */
    private long lastScanNanos;
    private volatile boolean wake = true;
    /** Set when releases travel in chunks: instructions then point at the release topics instead of carrying the package. */
    private volatile ReleasePublisher chunked;
    /** Messages of the round the broker acknowledged, to be marked sent together. */
    private final List<Long> acknowledged = new java.util.ArrayList<>();
    /** Messages claimed and not yet marked sent or put back: those a scan finds still claimed. */
    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();

    public OutboxDispatcher(OutboxQueue queue, ReleaseStore releases, AuditTrail audit, String worker,
                            Supplier<TrustStore> trust, Topics topics, Clock clock, Duration scanEvery) {
        this.queue = queue;
        this.releases = releases;
        this.audit = audit;
        this.worker = worker;
        this.trust = trust;
        this.topics = topics;
        this.clock = clock;
        this.scanEvery = scanEvery;
    }

    /**
     * From now on, sends each instruction as a small {@link ReleaseInstruction} naming its
     * package's digest, length and chunk count, after {@code publisher} made sure the release is on
     * the retained release topics, instead of an {@link UpdateMessage} carrying the package.
     */
    public OutboxDispatcher publishReleasesWith(ReleasePublisher publisher) {
        this.chunked = publisher;
        return this;
    }

    /** A step of this process queued other messages (shadow commands): look at once. */
    @Override
    public void queued() {
        wake = true;
    }

    /** A step of this process committed {@code issued} to the outbox: look at once. */
    @Override
    public void deliver(IssuedInstruction issued) {
        wake = true;
    }

    /** Something was queued by this process (a trust update): look at once. */
    public void wake() {
        wake = true;
    }

    /** Puts back what this worker had claimed (when it starts again, stops, or is retired); returns how many. */
    public synchronized int recover() {
        wake = true;
        held.set(0);
        return queue.releaseClaims(worker);
    }

    /**
     * Claims what is next in the outbox when woken or once every scan period: messages waiting, and
     * messages of workers whose lease ran out (each such takeover audited, per worker). Called from
     * the dispatch route only, which publishes one batch before it takes the next.
     */
    public synchronized List<OutboxQueue.Message> take() {
        long now = System.nanoTime();
        boolean scan = now - lastScanNanos >= scanEvery.toNanos();
        if (!wake && !scan) {
            return List.of();
        }
        wake = false;
        if (scan) {
            lastScanNanos = now;
            // the dispatch route handles one batch at a time: nothing of this worker's is in flight now, so
            // a claim it still holds is one whose publish or whose "sent" failed; it goes out again
            if (held.getAndSet(0) > 0) {
                queue.releaseClaims(worker);
            }
        }
        List<OutboxQueue.Message> claimed = queue.claim(worker, BATCH);
        held.addAndGet(claimed.size());
        if (claimed.size() == BATCH) {
            wake = true;
        }
        auditTakeovers(claimed);
        return claimed;
    }

    private void auditTakeovers(List<OutboxQueue.Message> claimed) {
        Map<String, Integer> from = new TreeMap<>();
        claimed.forEach(m -> m.takenFrom().ifPresent(w -> from.merge(w, 1, Integer::sum)));
        from.forEach((gone, n) -> audit.append(AuditRecord.builder(AuditEvent.OEM_CLAIMS_TAKEN_OVER)
                .actor("oem-serve:" + worker).outcome(AuditRecord.Outcome.SUCCESS).cause("LEASE_EXPIRED")
                .detail("worker " + worker + " took over " + n + " outbox message(s) claimed by worker " + gone
                        + ", whose lease ran out without the broker acknowledging them; they are sent again (a vehicle"
                        + " takes a repeat as a no-op)").build()));
    }

    /** A claimed message ready to go: its vehicle's update topic, the frame to publish, and what it carries, opened. */
    public record Outgoing(OutboxQueue.Message message, String topic, byte[] frame, Object content) {
    }

    /**
     * Turns a claimed message into the frame for its vehicle's update topic: an instruction (as a
     * small {@link ReleaseInstruction} once its release is on the release topics, or an
     * {@link UpdateMessage} with the package), a trust update or a shadow command. Each is opened
     * (signature and chain verified) first: what leaves is what the OEM signed.
     */
    public Outgoing outgoing(OutboxQueue.Message m) throws Exception {
        String topic = topics.update(m.vehicleId());
        if (m.kind() == OutboxQueue.Kind.TRUST_UPDATE) {
            return new Outgoing(m, topic, new TrustUpdateMessage(m.payload()).encode(),
                    SignedTrustUpdate.open(m.payload(), trust.get().root()));
        }
        if (m.kind() == OutboxQueue.Kind.SHADOW_COMMAND) {
            return new Outgoing(m, topic, new ShadowCommandMessage(m.payload()).encode(),
                    SignedShadowCommand.open(m.payload(), trust.get(), clock));
        }
        Instruction i = SignedInstruction.open(m.payload(), trust.get(), clock);
        ReleasePublisher releases = chunked;
        if (releases != null) {
            ReleaseIndex x = releases.ensure(packageBytes(i.packageSha256()));
            return new Outgoing(m, topic, new ReleaseInstruction(m.payload(), i.packageSha256(), x.length(), x.chunkCount()).encode(), i);
        }
        return new Outgoing(m, topic, new UpdateMessage(m.payload(), packageBytes(i.packageSha256())).encode(), i);
    }

    /**
     * The broker acknowledged {@code m}: it is sent, marked so with the rest of its round
     * ({@link #markSent}). Until then it is still claimed: a worker that dies first sends it again
     * (a vehicle takes a repeat as a no-op).
     */
    public void acknowledged(OutboxQueue.Message m) {
        synchronized (acknowledged) {
            acknowledged.add(m.id());
        }
    }

    /** Marks the round's acknowledged messages sent, in one transaction; called once the round is published. */
    public void markSent() {
        List<Long> ids;
        synchronized (acknowledged) {
            ids = List.copyOf(acknowledged);
            acknowledged.clear();
        }
        if (!ids.isEmpty()) {
            held.addAndGet(-queue.sent(ids, worker));
        }
    }

    /** Publishing {@code m} failed: it waits again, for the next scan (not at once: the broker may be down). */
    public void unclaim(OutboxQueue.Message m) {
        if (queue.unclaim(m.id(), worker)) {
            held.decrementAndGet();
        }
    }

    private byte[] packageBytes(String sha256) {
        synchronized (packages) {
            byte[] cached = packages.get(sha256);
            if (cached != null) {
                return cached;
            }
        }
        byte[] bytes = releases.packageBytes(sha256).orElseThrow(() -> new IllegalStateException(
                "the outbox names package " + sha256 + ", which no release holds"));
        synchronized (packages) {
            packages.put(sha256, bytes);
        }
        return bytes;
    }
}
