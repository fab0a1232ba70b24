package dev.wasmota.routes.oem;

import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.campaign.VehicleReport;
import dev.wasmota.protocol.wire.StatusReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The status route's group commit. Each report is verified as it arrives, on the consumer's
 * thread ({@link StatusHandler#open}: signature, chain, sender), then waits; one thread takes
 * every report waiting, up to {@code max}, into one database transaction
 * ({@link CampaignService#reportStatuses}: replay and anchors checked per report, a refused one
 * rolled back alone) and only once it committed completes their exchanges, in the order they
 * arrived, so the consumer acknowledges nothing before it is durable. A report that failed its
 * verification waits its turn too and fails then, so acknowledgements keep the arrival order.
 * A batch that fails as a whole (not a refusal: the database) is taken one report at a time, so
 * one report cannot fail the others. Under a trickle each batch is one report: nothing waits for
 * a batch to fill.
 */
final class StatusBatcher extends AsyncProcessorSupport implements AsyncProcessor {
    private static final System.Logger LOG = System.getLogger(StatusBatcher.class.getName());

    private record Waiting(Exchange ex, AsyncCallback done, StatusReport report, VehicleReport taken, RuntimeException refused) {
    }

    private final StatusHandler handler;
    private final CampaignService campaigns;
    private final int max;
    private final BlockingQueue<Waiting> queue;
    private volatile boolean stopping;
    private Thread worker;

    /** Takes at most {@code max} reports into one transaction; at most {@code 4 * max} wait, then the consumer waits. */
    StatusBatcher(StatusHandler handler, CampaignService campaigns, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("setting ota.status.batchMax=" + max + " must be at least 1");
        }
        this.handler = handler;
        this.campaigns = campaigns;
        this.max = max;
        this.queue = new LinkedBlockingQueue<>(4 * max);
    }

    @Override
    public boolean process(Exchange ex, AsyncCallback done) {
        StatusReport report = null;
        VehicleReport taken = null;
        RuntimeException refused = null;
        try {
            report = handler.open(ex);
            taken = handler.report(report);
        } catch (RuntimeException e) {
            refused = e;
        }
        try {
            queue.put(new Waiting(ex, done, report, taken, refused));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.setException(e);
            done.done(true);
            return true;
        }
    }

    @Override
    protected synchronized void doStart() {
        stopping = false;
        worker = new Thread(this::run, "oem-status-batch");
        worker.setDaemon(true);
        worker.start();
    }

    /** Takes what still waits (the consumer stopped first), then ends the thread. */
    @Override
    protected synchronized void doStop() throws InterruptedException {
        stopping = true;
        if (worker != null) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            worker = null;
        }
    }

    private void run() {
        List<Waiting> batch = new ArrayList<>(max);
        while (true) {
            try {
                Waiting first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, max - 1);
                take(batch);
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "status batch: " + e, e);
                batch.forEach(w -> fail(w, e instanceof RuntimeException r ? r : new IllegalStateException(e)));
            } finally {
                batch.clear();
            }
        }
    }

    /** One transaction for the batch's verified reports, then each exchange completed in order. */
    private void take(List<Waiting> batch) {
        List<VehicleReport> reports = new ArrayList<>(batch.size());
        for (Waiting w : batch) {
            if (w.refused() == null) {
                reports.add(w.taken());
            }
        }
        List<VehicleReport.Outcome> outcomes;
        try {
            outcomes = campaigns.reportStatuses(reports);
        } catch (RuntimeException e) {
            if (reports.size() > 1) {
                for (Waiting w : batch) {
                    take(List.of(w));
                }
                return;
            }
            batch.forEach(w -> fail(w, w.refused() != null ? w.refused() : e));
            return;
        }
        int next = 0;
        for (Waiting w : batch) {
            if (w.refused() != null) {
                fail(w, w.refused());
                continue;
            }
            VehicleReport.Outcome o = outcomes.get(next++);
            try {
                handler.finish(w.ex(), w.report(), o);
            } catch (RuntimeException e) {
                w.ex().setException(e);
            }
            w.done().done(false);
        }
    }

    private static void fail(Waiting w, RuntimeException e) {
        w.ex().setException(e);
        w.done().done(false);
    }
}
