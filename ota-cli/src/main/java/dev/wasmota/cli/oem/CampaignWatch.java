package dev.wasmota.cli.oem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignStatus;
import dev.wasmota.oem.campaign.CampaignStatusJson;
import dev.wasmota.oem.campaign.StatusTable;
import dev.wasmota.oem.campaign.WaveCounts;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * {@code ota oem campaign status --watch}: reads one campaign every interval until it ends. On a
 * terminal the whole table is drawn again in place (ANSI: cursor home, clear screen); elsewhere
 * (a pipe, a log file, {@code --json}) a line is printed only when the campaign changed, so the
 * output is a history. Reads only: the workers (or other campaign commands) move the campaign.
 */
final class CampaignWatch {
    private static final String CLEAR = "\033[H\033[2J";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Function<String, CampaignStatus> campaigns;
    private final String id;
    private final Clock clock;
    private final Duration interval;
    private final boolean json;
    private final boolean redraw;

    CampaignWatch(Function<String, CampaignStatus> campaigns, String id, Clock clock, Duration interval, boolean json, boolean redraw) {
        this.campaigns = campaigns;
        this.id = id;
        this.clock = clock;
        this.interval = interval;
        this.json = json;
        this.redraw = redraw;
    }

    /** Follows the campaign until it ends; returns the exit code (0). */
    int run(PrintWriter out) throws InterruptedException {
        String last = null;
        while (true) {
            CampaignStatus s = campaigns.apply(id);
            // a change is what the reader sees change: the whole JSON, or the summary line (the JSON
            // also holds what the line leaves out, and a line printed again unchanged is noise)
            String seen = json ? fingerprint(s) : summary(s);
            if (redraw) {
                out.print(CLEAR + StatusTable.detail(s) + "\n" + footer(s));
            } else if (!seen.equals(last)) {
                out.println(json ? CampaignStatusJson.line(s, clock.instant()) : line(s));
            }
            out.flush();
            last = seen;
            if (!s.campaign().state().active()) {
                return 0;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** What counts as a change: everything in the JSON but the time it was read. */
    private String fingerprint(CampaignStatus s) {
        ObjectNode o = CampaignStatusJson.tree(s, clock.instant());
        o.remove("at");
        return CanonicalJson.string(o);
    }

    /** {@code 12:00:01 campaign c1: RUNNING, wave 1/2; 4 instructed, 3 committed, 0 failed, 1 pending (75% success)}. */
    private String line(CampaignStatus s) {
        return TIME.format(clock.instant().atZone(clock.getZone())) + " " + summary(s);
    }

    /** The line without its time: {@code campaign c1: RUNNING, wave 1/2; ...}. */
    private static String summary(CampaignStatus s) {
        Campaign k = s.campaign();
        WaveCounts t = s.total();
        return "campaign " + k.id() + ": " + k.state() + ", wave "
                + k.currentWave() + "/" + k.waveCount() + "; " + t.instructed() + " instructed, " + t.committed()
                + " committed, " + t.failed() + " failed, " + t.pending() + " pending (" + t.successPercent() + "% success, "
                + t.errorPercent() + "% errors)" + k.cause().map(c -> ": " + c).orElse("");
    }

    private String footer(CampaignStatus s) {
        return s.campaign().state().active()
                ? "watching, read " + TIME.format(clock.instant().atZone(clock.getZone())) + " every "
                        + (interval.toMillis() % 1000 == 0 ? StatusTable.human(interval) : interval.toMillis() + "ms")
                        + "; Ctrl-C to stop\n"
                : "campaign " + id + " ended: " + s.campaign().state() + "\n";
    }
}
