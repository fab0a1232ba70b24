package dev.wasmota.oem.campaign;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Renders campaigns as the plain-text tables {@code ota oem campaign status} prints. */
public final class StatusTable {
    private static final String[] WAVE_HEADER = {"WAVE", "STEP", "STATE", "SIZE", "INSTRUCTED", "COMMITTED", "FAILED",
            "PENDING", "SUCCESS", "ERRORS"};
    private static final String[] OVERVIEW_HEADER = {"CAMPAIGN", "RELEASE", "STATE", "WAVE", "TARGETS", "COMMITTED",
            "FAILED", "PENDING", "SUCCESS", "ERRORS"};

    private StatusTable() {
    }

    /** One line per campaign. */
    public static String overview(List<CampaignStatus> campaigns) {
        if (campaigns.isEmpty()) {
            return "no campaigns\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(OVERVIEW_HEADER);
        for (CampaignStatus s : campaigns) {
            Campaign k = s.campaign();
            WaveCounts t = s.total();
            rows.add(new String[] {k.id(), k.release().toString(), k.state().name(), wave(k), Integer.toString(t.members()),
                    Integer.toString(t.committed()), Integer.toString(t.failed()), Integer.toString(t.pending()),
                    t.successPercent() + "%", t.errorPercent() + "%"});
        }
        return render(rows);
    }

    /** A campaign's settings, then one line per wave, a total, and the rollback if there was one. */
    public static String detail(CampaignStatus s) {
        Campaign k = s.campaign();
        StringBuilder out = new StringBuilder();
        out.append("campaign  ").append(k.id()).append('\n');
        out.append("release   ").append(k.release()).append(" (security version ").append(k.securityVersion())
                .append(", package ").append(k.packageSha256(), 0, 12).append("…)\n");
        out.append("targets   ").append(k.targets().hardwareId().map(h -> "hardware " + h).orElse("listed vehicles"))
                .append(", ").append(s.total().members()).append(" vehicles\n");
        out.append("state     ").append(k.state()).append(", wave ").append(wave(k))
                .append(k.cause().map(c -> ": " + c).orElse("")).append('\n');
        out.append("rules     waves ").append(k.wavePlan()).append(" (cumulative); advance at ").append(k.advanceAt())
                .append("%, stop at ").append(k.stopAt()).append("%; instructions valid ").append(human(k.validity()))
                .append("; hold ").append(human(k.hold())).append('\n');
        holdLine(k, s).ifPresent(out::append);
        k.rollbackTo().ifPresent(r -> out.append("rollback  to ").append(r).append('\n'));
        out.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(WAVE_HEADER);
        for (CampaignStatus.WaveStatus w : s.waves()) {
            rows.add(row(Integer.toString(w.wave().index()), w.wave().step(), w.wave().state().name(), w.counts()));
        }
        rows.add(row("all", "", "", s.total()));
        s.rollback().ifPresent(r -> rows.add(row("rollback", "", "", r)));
        return out.append(render(rows)).toString();
    }

    /** A duration the way DURATION options are written: {@code 24h}, {@code 90m}, {@code 45s}, {@code 0s}. */
    public static String human(Duration d) {
        long s = d.getSeconds();
        if (s == 0) {
            return "0s";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** When the hold of the current wave ends, while that wave still runs in a running or paused campaign. */
    private static Optional<String> holdLine(Campaign k, CampaignStatus s) {
        if (k.hold().isZero() || k.currentWave() < 1 || !(k.state() == Campaign.State.RUNNING
                || k.state() == Campaign.State.PAUSED)) {
            return Optional.empty();
        }
        Wave current = s.waves().get(k.currentWave() - 1).wave();
        if (current.state() != Wave.State.RUNNING) {
            return Optional.empty();
        }
        return current.holdEndsAt(k.hold())
                .map(end -> "observed  wave " + current.index() + " until " + end + " at least\n");
    }

    private static String wave(Campaign k) {
        return k.currentWave() + "/" + k.waveCount();
    }

    private static String[] row(String wave, String step, String state, WaveCounts n) {
        return new String[] {wave, step, state, Integer.toString(n.members()), Integer.toString(n.instructed()),
                Integer.toString(n.committed()), Integer.toString(n.failed()), Integer.toString(n.pending()),
                n.successPercent() + "%", n.errorPercent() + "%"};
    }

    private static String render(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]).append(" ".repeat(width[i] - r[i].length() + (i < r.length - 1 ? 2 : 0)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
