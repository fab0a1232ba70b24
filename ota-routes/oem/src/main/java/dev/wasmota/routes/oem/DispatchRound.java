package dev.wasmota.routes.oem;

import dev.wasmota.oem.campaign.OutboxQueue;
import dev.wasmota.transport.WindowedPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One round of the outbox dispatch: claims the next batch ({@link OutboxDispatcher#take}), opens
 * each message and publishes it to its vehicle's update topic through a window of publishes in
 * flight ({@link WindowedPublisher}) instead of one round trip at a time, marks those the broker
 * acknowledged sent in one transaction, and puts back those it refused or that failed to open or
 * publish. A batch holds at most one message per vehicle (the outbox claims only a vehicle's
 * first unsent message), so publishing a batch's messages side by side keeps each vehicle's
 * messages in order. The round returns once every message is answered, or after the
 * acknowledgement timeout: what is still unanswered then stays claimed and goes out again at the
 * next scan (a vehicle takes a repeat as a no-op); the dispatch never waits for ever on a broker
 * that does not answer. A publish refused at once (the window had no room within the timeout, or
 * the client is not connected) ends the round's publishing: the rest of the batch is put back for
 * the next scan, so a round with the broker down lasts about two timeouts, not one per message.
 */
final class DispatchRound {
    private static final System.Logger LOG = System.getLogger(DispatchRound.class.getName());
    private final OutboxDispatcher dispatcher;
    private final WindowedPublisher out;
    private final DispatchEvents events;
    private final int qos;
    private final Duration ackTimeout;

    DispatchRound(OutboxDispatcher dispatcher, WindowedPublisher out, DispatchEvents events, int qos, Duration ackTimeout) {
        this.dispatcher = dispatcher;
        this.out = out;
        this.events = events;
        this.qos = qos;
        this.ackTimeout = ackTimeout;
    }

    /** Dispatches the next batch, if any; returns how many messages the broker acknowledged. */
    public int run() throws InterruptedException {
        List<OutboxQueue.Message> claimed = dispatcher.take();
        if (claimed.isEmpty()) {
            return 0;
        }
        List<OutboxDispatcher.Outgoing> going = new ArrayList<>(claimed.size());
        List<CompletableFuture<Void>> answers = new ArrayList<>(claimed.size());
        boolean stalled = false;
        for (OutboxQueue.Message m : claimed) {
            if (stalled) {
                dispatcher.unclaim(m); // the broker stopped answering: the rest waits for the next scan
                continue;
            }
            OutboxDispatcher.Outgoing o;
            try {
                o = dispatcher.outgoing(m);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "outbox message " + m.id() + " to " + m.vehicleId()
                        + " cannot be sent now, put back: " + e.getMessage());
                dispatcher.unclaim(m);
                continue;
            }
            CompletableFuture<Void> answer = out.publish(o.topic(), o.frame(), qos, false);
            going.add(o);
            answers.add(answer);
            // failed at once: no room in the window within the timeout (the broker is not answering) or not connected
            stalled = answer.isCompletedExceptionally();
        }
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // each answer is looked at below
        }
        // the answers are taken in here, on the round's thread, not on Paho's callback thread
        int acknowledged = 0;
        int unanswered = 0;
        for (int n = 0; n < going.size(); n++) {
            CompletableFuture<Void> a = answers.get(n);
            OutboxDispatcher.Outgoing o = going.get(n);
            if (!a.isDone()) {
                unanswered++; // still claimed: released and sent again at the next scan
            } else if (a.isCompletedExceptionally()) {
                dispatcher.unclaim(o.message());
            } else {
                dispatcher.acknowledged(o.message());
                events.sent(o);
                acknowledged++;
            }
        }
        if (unanswered > 0) {
            LOG.log(System.Logger.Level.WARNING, unanswered + " of " + going.size() + " outbox messages not acknowledged within "
                    + ackTimeout.toMillis() + " ms; they go out again at the next scan");
        }
        dispatcher.markSent();
        return acknowledged;
    }
}
