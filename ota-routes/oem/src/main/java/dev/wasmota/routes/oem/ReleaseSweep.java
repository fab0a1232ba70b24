package dev.wasmota.routes.oem;

import dev.wasmota.oem.release.ReleaseTopics;
import dev.wasmota.protocol.Topics;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.time.Clock;
import java.util.Optional;

/**
 * Clears the retained release topics of releases no campaign needs any more
 * ({@link ReleaseTopics#unneeded}): an empty retained message on the index first (so no vehicle
 * starts on a release being cleared), then on each chunk, which makes the broker drop what it kept;
 * then forgets the release, so a later campaign publishes it again. Run by the campaign tick.
 */
public final class ReleaseSweep {
    private static final byte[] CLEAR = new byte[0];

    private final ReleaseTopics records;
    private final Topics topics;
    private final ReleasePublisher.Publish out;
    private final Optional<ReleasePublisher> publisher;
    private final Clock clock;
    private final ServiceEvents events;

    public ReleaseSweep(ReleaseTopics records, Topics topics, ReleasePublisher.Publish out, Optional<ReleasePublisher> publisher,
                        Clock clock, ServiceEvents events) {
        this.records = records;
        this.topics = topics;
        this.out = out;
        this.publisher = publisher;
        this.clock = clock;
        this.events = events;
    }

    /** Clears every release no campaign needs; returns how many. A failure to publish leaves the rest for the next sweep. */
    public int sweep() throws Exception {
        int n = 0;
        for (ReleaseTopics.Published p : records.unneeded()) {
            out.publish(topics.releaseIndex(p.packageSha256()), CLEAR, true);
            for (int i = 0; i < p.chunkCount(); i++) {
                out.publish(topics.releaseChunk(p.packageSha256(), i), CLEAR, true);
            }
            records.cleared(p.packageSha256());
            publisher.ifPresent(x -> x.forget(p.packageSha256()));
            events.emit(clock, ServiceEvent.Kind.DISPATCH, "release " + p.packageSha256().substring(0, 12)
                    + " cleared from the broker: " + p.chunkCount() + " retained chunk(s) and its index (no campaign needs it)");
            n++;
        }
        return n;
    }
}
