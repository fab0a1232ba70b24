package dev.wasmota.cli.bench;

import dev.wasmota.audit.AuditChain;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.stats.Percentiles;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.audit.OemCheckpoints;
import dev.wasmota.oem.audit.VehicleAnchors;
import dev.wasmota.oem.audit.VehicleLogVerifier;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.pki.OemPki;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ota bench evidence}: what anchoring audit logs costs the OEM (issue 17): taking in one
 * report's log head against the anchors held, signing a checkpoint of the trail at a campaign
 * step, and checking a vehicle's log file against its anchors.
 */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = {"Measures the cost of anchored audit logs on the OEM's embedded database.",
                "Per report: the anchor check and insert; per campaign step: the checkpoint's signature and insert;"
                        + " offline: ota oem evidence verify on a log of --records records with an anchor every --anchor-every."})
public final class EvidenceBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--reports", defaultValue = "2000", description = "reports taken in for one vehicle (default: ${DEFAULT-VALUE})")
    int reports;

    @Option(names = "--records", defaultValue = "100000", description = "records of the log verified (default: ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--anchor-every", defaultValue = "8", description = "records between anchors (default: ${DEFAULT-VALUE})")
    int anchorEvery;

    @Option(names = "--rounds", defaultValue = "7", description = "verify rounds, the median printed (default: ${DEFAULT-VALUE})")
    int rounds;

    @Override
    public Integer call() throws Exception {
        Path tmp = Files.createTempDirectory("ota-bench-evidence");
        var out = spec.commandLine().getOut();
        try {
            Clock clock = Clock.systemUTC();
            OemPki pki = OemPki.create(tmp.resolve("oem"), clock, new SecureRandom());
            try (CampaignDatabase db = CampaignDatabase.open(CampaignDatabase.defaultUrl(tmp.resolve("oem")), clock)) {
                OemAuditTrail trail = new OemAuditTrail(db, clock);
                VehicleAnchors anchors = new VehicleAnchors(db, trail, clock);
                long[] take = new long[reports];
                String prev = "";
                Instant at = clock.instant();
                for (int i = 0; i < reports; i++) {
                    long seq = (long) (i + 1) * anchorEvery;
                    String hash = String.format(Locale.ROOT, "%064x", seq);
                    VehicleAnchors.Report r = new VehicleAnchors.Report("veh-1", "c1", "i" + i, seq, hash,
                            i == 0 ? 0 : seq - anchorEvery, prev, at.plusSeconds(i));
                    long t0 = System.nanoTime();
                    anchors.take(r);
                    take[i] = System.nanoTime() - t0;
                    prev = hash;
                }
                long[] sign = new long[reports];
                long[] append = new long[reports];
                for (int i = 0; i < reports; i++) {
                    int n = i;
                    db.transaction(c -> {
                        long t0 = System.nanoTime();
                        AuditRecord head = trail.append(c, AuditRecord.builder(AuditEvent.CAMPAIGN_STATUS_RECEIVED)
                                .actor("bench").detail("step " + n).build());
                        long t1 = System.nanoTime();
                        OemCheckpoints.sign(c, head, pki.campaign(), clock.instant());
                        append[n] = t1 - t0;
                        sign[n] = System.nanoTime() - t1;
                        return null;
                    });
                }
                Percentiles tk = Percentiles.of(take);
                Percentiles sg = Percentiles.of(sign);
                Percentiles ap = Percentiles.of(append);
                out.printf(Locale.ROOT, "anchor_take_ms=%.3f p90_ms=%.3f (per report, its own transaction; %d reports of one vehicle)%n",
                        tk.median() / 1e6, tk.percentile(90) / 1e6, reports);
                out.printf(Locale.ROOT, "checkpoint_sign_ms=%.3f p90_ms=%.3f (per campaign step, inside it; the record's own"
                        + " append %.3f ms)%n", sg.median() / 1e6, sg.percentile(90) / 1e6, ap.median() / 1e6);
                out.flush();
            }
            Path log = tmp.resolve("audit.log");
            List<VehicleLogVerifier.LogAnchor> held = writeLog(log, clock.instant());
            long[] verify = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                VehicleLogVerifier.Verdict v = VehicleLogVerifier.verify(log, held);
                verify[i] = System.nanoTime() - t0;
                if (!v.ok()) {
                    throw new IllegalStateException("the bench's own log failed: " + v.summary());
                }
            }
            Percentiles vf = Percentiles.of(verify);
            out.printf(Locale.ROOT, "evidence_verify_ms=%.1f (median of %d; a %d-record log of %d bytes, %d anchors)%n",
                    vf.median() / 1e6, rounds, records, Files.size(log), held.size());
            return 0;
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private List<VehicleLogVerifier.LogAnchor> writeLog(Path log, Instant t) throws Exception {
        List<VehicleLogVerifier.LogAnchor> held = new ArrayList<>();
        String prev = AuditLog.GENESIS_HASH;
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(log))) {
            for (int i = 1; i <= records; i++) {
                AuditRecord sealed = AuditChain.seal(AuditRecord.builder(AuditEvent.INSTALL_COMMITTED).actor("ecu-host")
                        .moduleId("healthy").fromVersion("1.0.0").toVersion("1.1.0").detail("step " + i)
                        .outcome(AuditRecord.Outcome.SUCCESS).build(), i, t.plusMillis(i), prev);
                o.write(AuditChain.encode(sealed));
                o.write('\n');
                prev = sealed.hash();
                if (i % anchorEvery == 0) {
                    held.add(new VehicleLogVerifier.LogAnchor(i, sealed.hash(), "bench"));
                }
            }
        }
        return held;
    }
}
