package dev.wasmota.oem.audit;

import dev.wasmota.audit.AuditChain;
import dev.wasmota.audit.AuditFailure;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.VerifyResult;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.BoundedLineReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A vehicle's audit log file checked against the heads of it the OEM anchored (each from a signed
 * status report), naming the first record missing or changed. The chain itself names an edited,
 * deleted or moved record exactly; a log cut short or rewritten with a recomputed chain verifies as
 * a chain, and only the anchors show it: the log must hold, at each anchored seq, the record with
 * the anchored hash. Since every record names the hash of the one before, a record matching an
 * anchor proves every record before it; so the first changed record lies after the last anchor
 * the log matches and at or before the first it does not, and is named exactly when those are
 * neighbours. Records past the newest anchor are not proven by anything yet. Used by
 * {@code ota oem evidence verify --vehicle} and by the evidence bundle's check.
 */
public final class VehicleLogVerifier {
    private VehicleLogVerifier() {
    }

    /** One anchored head: seq, hash, and where it came from (for the message). */
    public record LogAnchor(long seq, String hash, String source) {
        public LogAnchor {
            if (seq < 0) {
                throw new IllegalArgumentException("seq must not be negative: " + seq);
            }
            if (hash == null || !Digests.SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalArgumentException("hash must be 64 lowercase hex digits");
            }
            Objects.requireNonNull(source, "source");
        }
    }

    /** What is wrong with the first bad record. */
    public enum Kind {
        /** The chain itself breaks there (edited, deleted, moved, malformed or torn before an anchored seq). */
        CHAIN_BROKEN(AuditFailure.CHAIN_BROKEN),
        /** The log ends before an anchored seq: records were cut off. */
        MISSING(VehicleLogFailure.LOG_BEHIND_ANCHOR),
        /** The log holds another record at an anchored seq: rewritten (with its chain recomputed). */
        CHANGED(VehicleLogFailure.LOG_HEAD_MISMATCH);

        private final Reason reason;

        Kind(Reason reason) {
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /**
     * The first record missing or changed: it is one of seq {@code from..to} ({@code from == to}
     * when named exactly).
     */
    public record Finding(Kind kind, long from, long to, String detail) {
        /** {@code seq 6} or {@code one of seq 1..4}. */
        public String where() {
            return from == to ? "seq " + from : "one of seq " + from + ".." + to;
        }
    }

    /**
     * The outcome.
     *
     * @param records the records of the log's intact chain
     * @param anchors how many distinct anchors were checked
     * @param proven the highest seq an anchor proves (every record up to it is as the vehicle reported)
     * @param first the first record missing or changed, if any
     * @param note what else a reader should know (records not yet anchored, a torn unreported tail)
     */
    public record Verdict(long records, int anchors, long proven, Optional<Finding> first, String note) {
        public boolean ok() {
            return first.isEmpty();
        }

        /** One line for a person. */
        public String summary() {
            if (first.isPresent()) {
                Finding f = first.get();
                return "first record " + (f.kind() == Kind.MISSING ? "missing" : "changed") + ": " + f.where() + " ("
                        + f.kind().reason().name() + "): " + f.detail();
            }
            return records + " records, " + anchors + " anchor(s) matched, proven up to seq " + proven
                    + (note.isEmpty() ? "" : "; " + note);
        }

        /** Throws the finding as its named refusal (exit 3); returns this when there is none. */
        public Verdict orThrow() {
            first.ifPresent(f -> {
                throw new RejectedException(f.kind().reason(), summary());
            });
            return this;
        }
    }

    /**
     * Checks {@code log} against {@code anchors}; refused with {@link VehicleLogFailure#NO_ANCHORS}
     * when there are none to check against.
     */
    public static Verdict verify(Path log, List<LogAnchor> anchors) {
        if (anchors.stream().noneMatch(a -> a.seq() > 0)) {
            throw new RejectedException(VehicleLogFailure.NO_ANCHORS, "the OEM holds no head of this vehicle's log to check "
                    + log + " against: it has taken in no status report from it");
        }
        VerifyResult chain = AuditLog.verify(log);
        long n = chain.records();
        TreeMap<Long, List<LogAnchor>> bySeq = new TreeMap<>();
        anchors.stream().filter(a -> a.seq() > 0).sorted(Comparator.comparingLong(LogAnchor::seq))
                .forEach(a -> bySeq.computeIfAbsent(a.seq(), k -> new ArrayList<>()).add(a));
        Map<Long, String> hashes = hashesAt(log, n, bySeq.keySet());
        long proven = 0;
        int checked = 0;
        for (var e : bySeq.entrySet()) {
            long seq = e.getKey();
            for (LogAnchor a : distinct(e.getValue())) {
                checked++;
                if (seq > n) {
                    return new Verdict(n, checked, proven, Optional.of(pastEnd(chain, n, a, proven)), "");
                }
                String held = hashes.get(seq);
                if (!held.equals(a.hash())) {
                    return new Verdict(n, checked, proven, Optional.of(new Finding(Kind.CHANGED, proven + 1, seq,
                            "the log holds " + held + " at seq " + seq + ", but the vehicle reported " + a.hash() + " there ("
                                    + a.source() + ")" + (proven > 0 ? "; seq 1.." + proven + " match an earlier anchor"
                                    : "; no earlier anchor proves the records before"))), "");
                }
                proven = seq;
            }
        }
        if (!chain.ok()) {
            VerifyResult.Break b = chain.broken();
            if (b.problem() != VerifyResult.Problem.TRUNCATED) {
                return new Verdict(n, checked, proven, Optional.of(new Finding(Kind.CHAIN_BROKEN, b.seq(), b.seq(),
                        b.problem() + " at line " + b.line() + ": " + b.detail())), "");
            }
        }
        String note = (n > proven ? "seq " + (proven + 1) + ".." + n + " not anchored yet" : "")
                + (chain.ok() ? "" : (n > proven ? "; " : "") + "a torn last line (seq " + (n + 1)
                + ") past every anchor: an unreported append cut by a crash, which the vehicle recovers");
        return new Verdict(n, checked, proven, Optional.empty(), note);
    }

    private static Finding pastEnd(VerifyResult chain, long n, LogAnchor a, long proven) {
        if (!chain.ok()) {
            VerifyResult.Break b = chain.broken();
            return new Finding(Kind.CHAIN_BROKEN, b.seq(), b.seq(), b.problem() + " at line " + b.line() + ": " + b.detail()
                    + " (the vehicle reported its log at seq " + a.seq() + ": " + a.source() + ")");
        }
        String unproven = n > proven ? "; seq " + (proven + 1) + ".." + n + " are proven by no anchor, so the first bad"
                + " record may be among them (a chain recomputed after records were dropped)" : "";
        return new Finding(Kind.MISSING, proven + 1, n + 1, "the log ends at seq " + n + ", but the vehicle reported its log"
                + " at seq " + a.seq() + " with head " + a.hash() + " (" + a.source() + "): seq " + (n + 1)
                + (a.seq() > n + 1 ? ".." + a.seq() : "") + " missing"
                + (proven > 0 ? "; seq 1.." + proven + " match an earlier anchor" : "") + unproven);
    }

    private static List<LogAnchor> distinct(List<LogAnchor> atOneSeq) {
        List<LogAnchor> out = new ArrayList<>();
        for (LogAnchor a : atOneSeq) {
            if (out.stream().noneMatch(o -> o.hash().equals(a.hash()))) {
                out.add(a);
            }
        }
        return out;
    }

    /** The hashes of the records at {@code seqs} among the first {@code n}, which the chain check found intact. */
    private static Map<Long, String> hashesAt(Path log, long n, Set<Long> seqs) {
        Map<Long, String> out = new HashMap<>();
        if (n == 0 || seqs.isEmpty()) {
            return out;
        }
        long last = Math.min(n, Collections.max(seqs));
        try (BoundedLineReader reader = new BoundedLineReader(Files.newInputStream(log), AuditLog.MAX_LINE_BYTES)) {
            BoundedLineReader.Line line;
            while ((line = reader.next()) != null && line.number() <= last) {
                if (seqs.contains(line.number())) {
                    out.put(line.number(), AuditChain.decode(line.bytes()).hash());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vehicle audit log " + log, e);
        }
        return out;
    }

    /** The anchors the OEM holds of a vehicle that a log is checked against: the consistent ones. */
    public static List<LogAnchor> of(List<VehicleAnchors.Anchor> held) {
        return held.stream().filter(a -> a.verdict() == VehicleAnchors.Verdict.CONSISTENT)
                .map(a -> new LogAnchor(a.seq(), a.hash(), a.source())).toList();
    }

    /**
     * Every anchor the OEM holds of {@code vehicleId}: the consistent rows of its anchor table, and
     * the heads the trail's status records kept (from before the table, issue 17) unless the table
     * found that report contradicting.
     */
    public static List<LogAnchor> held(OemAuditTrail trail, VehicleAnchors table, String vehicleId) {
        List<VehicleAnchors.Anchor> rows = table.anchors(vehicleId);
        List<LogAnchor> out = new ArrayList<>(of(rows));
        for (VehicleLogCheck.Anchor a : VehicleLogCheck.anchors(trail, vehicleId)) {
            boolean contradicted = rows.stream().anyMatch(r -> r.verdict().securityEvent()
                    && r.instructionId().equals(a.instructionId()) && r.seq() == a.head().seq()
                    && r.hash().equals(a.head().sha256()));
            if (!contradicted) {
                out.add(new LogAnchor(a.head().seq(), a.head().sha256(), "status record seq " + a.trailSeq()
                        + " of the OEM trail (instruction " + a.instructionId() + ", campaign " + a.campaignId() + ")"));
            }
        }
        return out;
    }
}
