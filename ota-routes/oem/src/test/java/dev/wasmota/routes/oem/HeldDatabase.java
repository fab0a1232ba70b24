package dev.wasmota.routes.oem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.campaign.CampaignDatabase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the OEM database's one connection in a transaction of another thread until closed, so
 * status reports verified meanwhile wait for it together and go into one batch.
 */
final class HeldDatabase implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread busy;

    private HeldDatabase(CampaignDatabase db) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        busy = new Thread(() -> db.transaction(c -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        busy.start();
        assertTrue(held.await(10, TimeUnit.SECONDS), "the database was held");
    }

    /** Holds {@code db} from now until {@link #close}. */
    static HeldDatabase hold(CampaignDatabase db) throws InterruptedException {
        return new HeldDatabase(db);
    }

    /** Lets the database go and waits until the holding transaction ended. */
    @Override
    public void close() throws InterruptedException {
        release.countDown();
        busy.join();
    }
}
