package dev.wasmota.routes.oem;

import dev.wasmota.contract.Digests;
import dev.wasmota.oem.release.ReleaseTopics;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.release.ChunkMessage;
import dev.wasmota.protocol.release.ReleaseIndex;
import dev.wasmota.signing.pki.Credential;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Puts a release on the broker's retained release topics once: each chunk, then the index signed
 * with the campaign key (last, so a vehicle that finds the index finds every chunk), all retained
 * at QoS 1, and records it ({@link ReleaseTopics}) so other workers do not publish it again. The
 * broker then holds one copy of the release whatever the number of vehicles that wait for it; each
 * vehicle's instruction only points at it. What this worker found published it trusts for a few
 * seconds before it looks again (the sweep may have cleared it since).
 */
public final class ReleasePublisher {
    /** Publishes one message on the broker, waiting for its acknowledgement. */
    @FunctionalInterface
    public interface Publish {
        void publish(String topic, byte[] payload, boolean retained) throws Exception;
    }

    private static final long TRUST_NANOS = 5_000_000_000L;
    private static final int CACHE = 8;

    private final ReleaseTopics records;
    private final Topics topics;
    private final Supplier<Credential> campaign;
    private final int chunkBytes;
    private final Publish out;
    private final Map<String, ReleaseIndex> indexes = lru();
    private final Map<String, Long> seen = lru();

    public ReleasePublisher(ReleaseTopics records, Topics topics, Supplier<Credential> campaign, int chunkBytes, Publish out) {
        if (chunkBytes < ReleaseIndex.MIN_CHUNK_BYTES || chunkBytes > ReleaseIndex.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("setting ota.release.chunkBytes=" + chunkBytes + " is outside "
                    + ReleaseIndex.MIN_CHUNK_BYTES + ".." + ReleaseIndex.MAX_CHUNK_BYTES + " (or 0: whole packages)");
        }
        this.records = records;
        this.topics = topics;
        this.campaign = campaign;
        this.chunkBytes = chunkBytes;
        this.out = out;
    }

    /**
     * The index of {@code packageFile}, published first if it is not on the release topics yet.
     *
     * @throws Exception the broker's refusal: nothing is recorded, the next call publishes again
     */
    public synchronized ReleaseIndex ensure(byte[] packageFile) throws Exception {
        String sha = Digests.sha256Hex(packageFile);
        ReleaseIndex x = indexes.get(sha);
        if (x == null) {
            x = ReleaseIndex.of(packageFile, chunkBytes);
            indexes.put(sha, x);
        }
        Long at = seen.get(sha);
        long now = System.nanoTime();
        if (at != null && now - at < TRUST_NANOS) {
            return x;
        }
        if (!records.isPublished(sha, chunkBytes)) {
            for (int i = 0; i < x.chunkCount(); i++) {
                out.publish(topics.releaseChunk(sha, i), new ChunkMessage(sha, i, x.slice(packageFile, i)).encode(), true);
            }
            out.publish(topics.releaseIndex(sha), x.sign(campaign.get()), true);
            records.published(new ReleaseTopics.Published(sha, chunkBytes, x.chunkCount()));
        }
        seen.put(sha, now);
        return x;
    }

    /** Forgets what this worker knew of {@code sha256} (the sweep cleared it). */
    public synchronized void forget(String sha256) {
        seen.remove(sha256);
    }

    public int chunkBytes() {
        return chunkBytes;
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE;
            }
        };
    }
}
