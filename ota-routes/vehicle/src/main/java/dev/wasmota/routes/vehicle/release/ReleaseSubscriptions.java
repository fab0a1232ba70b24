package dev.wasmota.routes.vehicle.release;

import java.util.List;

/**
 * How a {@link ChunkFetcher} asks the broker for release topics: subscribe (the broker sends each
 * topic's retained message, again on every subscribe) and unsubscribe. Neither may wait for the
 * broker's answer: both are called from the thread that delivers messages.
 */
public interface ReleaseSubscriptions {
    void subscribe(List<String> topics);

    void unsubscribe(List<String> topics);
}
