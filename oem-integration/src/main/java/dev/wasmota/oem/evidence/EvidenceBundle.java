package dev.wasmota.oem.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.audit.AuditChain;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.oem.campaign.VehicleLogHead;
import dev.wasmota.signing.pki.Pem;
import dev.wasmota.signing.pki.TrustStore;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.VerifiedPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A campaign's evidence bundle on disk and its offline check ({@link #verify}): the OEM's signature
 * over {@value #MANIFEST} (the campaign key, chaining to the OEM root), every file listed with its
 * SHA-256 and length and no file unlisted, the release's supplier signature and OEM
 * countersignature and its SBOM, the V&V evidence reference, each OEM audit record's own hash, and
 * the vehicles' log anchors against the status records that carried them (each vehicle's auditSeq
 * never going back), the RXSWIN change against its register entries and the vehicles left out. Every problem found is named.
 */
public final class EvidenceBundle {
    public static final String FORMAT = "wasmota-evidence/1";
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.sig";
    public static final String RELEASE = "release.wotapkg";
    public static final String SBOM = "sbom.cdx.json";
    public static final String INTAKE_REPORT = "intake-report.json";
    public static final String RECORD = "update-record.json";
    public static final String CAMPAIGN = "campaign.json";
    public static final String VEHICLES = "vehicles.json";
    public static final String AUDIT = "audit-records.jsonl";
    public static final String SECURITY = "security-events.json";
    public static final String ROOT = "oem-root.cert.pem";
    public static final String HTML = "index.html";
    /** The software identification (issue 17); bundles exported before it have none. */
    public static final String RXSWIN = RxswinEvidence.FILE;
    /** Largest file of a bundle read. */
    public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the check found.
     *
     * @param campaign the campaign the manifest names
     * @param signer the subject of the certificate that signed the manifest, once it verified
     * @param rootSha256 SHA-256 of the OEM root certificate the check trusted (compare it with the OEM's)
     * @param files the files the manifest lists
     * @param problems every inconsistency, empty when the bundle verifies
     */
    public record Result(String campaign, String signer, String rootSha256, int files, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private EvidenceBundle() {
    }

    /**
     * Checks the bundle in {@code dir} offline, trusting {@code root} if given, else the bundle's own
     * {@value #ROOT} (whose SHA-256 the result names, to compare with the OEM's published one).
     *
     * @throws RejectedException {@link EvidenceFailure#MALFORMED_EVIDENCE} for a directory that is not a bundle at all
     */
    public static Result verify(Path dir, Optional<TrustStore> root) throws IOException {
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new RejectedException(EvidenceFailure.MALFORMED_EVIDENCE, dir + " holds no " + MANIFEST
                    + ": not an evidence bundle");
        }
        List<String> problems = new ArrayList<>();
        byte[] manifestBytes = read(dir.resolve(MANIFEST));
        JsonNode manifest;
        try {
            manifest = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            manifest = null;
        }
        if (manifest == null || !manifest.isObject() || !FORMAT.equals(manifest.path("format").asText())
                || !manifest.path("files").isArray() || !CanonicalJson.isCanonical(manifestBytes, manifest)) {
            return new Result("?", "", "", 0, List.of(MANIFEST + " is not a canonical " + FORMAT + " manifest"));
        }
        String campaign = manifest.path("campaign").asText();
        Instant created;
        try {
            created = Instant.parse(manifest.path("createdAt").asText());
        } catch (RuntimeException e) {
            return new Result(campaign, "", "", 0, List.of(MANIFEST + ": createdAt is not a time"));
        }

        TrustStore trust;
        String rootSha;
        if (root.isPresent()) {
            trust = root.get();
            rootSha = rootSha(trust);
        } else {
            try {
                trust = new TrustStore(Pem.readCertificate(dir.resolve(ROOT)));
                rootSha = rootSha(trust);
            } catch (IOException | RuntimeException e) {
                return new Result(campaign, "", "", 0, List.of(ROOT + " is not a certificate: " + firstLine(e.getMessage())));
            }
        }
        String signer = "";
        try {
            signer = EvidenceSignature.verify(manifestBytes, read(dir.resolve(SIGNATURE)), trust, created);
        } catch (IllegalArgumentException | IOException e) {
            problems.add(SIGNATURE + ": " + firstLine(e.getMessage()));
        }

        Map<String, byte[]> files = new HashMap<>();
        Set<String> listed = new HashSet<>();
        for (JsonNode f : manifest.get("files")) {
            String name = f.path("name").asText();
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".") || !listed.add(name)) {
                problems.add(MANIFEST + " lists a file name that is not one plain name, or twice: '" + clip(name) + "'");
                continue;
            }
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) {
                problems.add(name + " is listed but missing");
                continue;
            }
            byte[] bytes = read(p);
            if (bytes.length != f.path("bytes").asLong(-1) || !Digests.sha256Hex(bytes).equals(f.path("sha256").asText())) {
                problems.add(name + " differs from the manifest (SHA-256 or length)");
                continue;
            }
            files.put(name, bytes);
        }
        try (Stream<Path> all = Files.list(dir)) {
            all.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(MANIFEST) && !n.equals(SIGNATURE) && !listed.contains(n))
                    .sorted().forEach(n -> problems.add(n + " is in the bundle but not in the manifest"));
        }
        for (String required : List.of(RELEASE, RECORD, CAMPAIGN, VEHICLES, AUDIT, SECURITY, ROOT, HTML)) {
            if (!listed.contains(required)) {
                problems.add(MANIFEST + " does not list " + required);
            }
        }
        if (root.isPresent() && files.containsKey(ROOT) && !Arrays.equals(files.get(ROOT),
                Pem.encode(root.get().root()).getBytes(StandardCharsets.US_ASCII))) {
            problems.add(ROOT + " is not the OEM root trusted for this check");
        }
        checkRelease(files, trust, created, problems);
        checkRecord(files, problems);
        List<AuditRecord> audit = checkAudit(files, campaign, problems);
        checkAnchors(files, audit, problems);
        checkCampaign(files, campaign, problems);
        RxswinEvidence.check(files, manifest.path("release").asText(), problems);
        if (files.containsKey(SECURITY)) {
            try {
                SecurityEvents.recount(JSON.readTree(files.get(SECURITY))).ifPresent(problems::add);
            } catch (IOException e) {
                problems.add(SECURITY + " is not JSON");
            }
        }
        return new Result(campaign, signer, rootSha, listed.size(), List.copyOf(problems));
    }

    private static void checkRelease(Map<String, byte[]> files, TrustStore trust, Instant at, List<String> problems) {
        if (!files.containsKey(RELEASE)) {
            return;
        }
        try {
            ModulePackage pkg = PackageFile.fromBytes(files.get(RELEASE));
            VerifiedPackage v = new PackageVerifier(trust, Clock.fixed(at, ZoneOffset.UTC)).verify(pkg);
            Optional<byte[]> sbom = v.pkg().sbom();
            if (sbom.isPresent() != files.containsKey(SBOM)
                    || sbom.isPresent() && !Arrays.equals(sbom.get(), files.get(SBOM))) {
                problems.add(SBOM + " is not the SBOM the release carries");
            }
        } catch (RejectedException e) {
            problems.add(RELEASE + ": " + e.getMessage());
        }
    }

    private static void checkRecord(Map<String, byte[]> files, List<String> problems) {
        if (!files.containsKey(RECORD)) {
            return;
        }
        try {
            JsonNode r = JSON.readTree(files.get(RECORD));
            JsonNode vv = r.path("vvEvidence");
            if (vv.hasNonNull("sha256")) {
                byte[] report = files.get(INTAKE_REPORT);
                if (report == null || !Digests.sha256Hex(report).equals(vv.get("sha256").asText())) {
                    problems.add(RECORD + ": its V&V evidence is not " + INTAKE_REPORT + " (SHA-256)");
                }
            }
            if (r.hasNonNull("record")) {
                byte[] canonical = CanonicalJson.bytes(r.get("record"));
                if (!Digests.sha256Hex(canonical).equals(r.path("sha256").asText())) {
                    problems.add(RECORD + ": the record's SHA-256 is not the one stated");
                }
            }
            checkEffective(r, problems);
        } catch (IOException | RuntimeException e) {
            problems.add(RECORD + " is not JSON");
        }
    }

    /** The release's record matches its SHA-256, and the campaign ran under its own record over it (issue 17). */
    private static void checkEffective(JsonNode r, List<String> problems) {
        JsonNode release = r.path("releaseRecord");
        if (release.hasNonNull("record") && !Digests.sha256Hex(CanonicalJson.bytes(release.get("record")))
                .equals(release.path("sha256").asText())) {
            problems.add(RECORD + ": the release's record's SHA-256 is not the one stated");
        }
        if (!r.has("effective")) {
            return;
        }
        Optional<dev.wasmota.oem.record.UpdateRecord> own = parsed(r.get("record"));
        Optional<dev.wasmota.oem.record.UpdateRecord> base = parsed(release.get("record"));
        Optional<dev.wasmota.oem.record.UpdateRecord> expected = own.isPresent() && base.isPresent()
                ? Optional.of(own.get().over(base.get())) : own.or(() -> base);
        Optional<dev.wasmota.oem.record.UpdateRecord> stated = parsed(r.get("effective"));
        if (!expected.equals(stated)) {
            problems.add(RECORD + ": the effective record is not the campaign's record over the release's");
        }
    }

    private static Optional<dev.wasmota.oem.record.UpdateRecord> parsed(JsonNode n) {
        return n == null || n.isNull() ? Optional.empty()
                : Optional.of(dev.wasmota.oem.record.UpdateRecord.parse(CanonicalJson.bytes(n)));
    }

    private static List<AuditRecord> checkAudit(Map<String, byte[]> files, String campaign, List<String> problems) {
        List<AuditRecord> out = new ArrayList<>();
        if (!files.containsKey(AUDIT)) {
            return out;
        }
        String[] lines = new String(files.get(AUDIT), StandardCharsets.UTF_8).split("\n", -1);
        long last = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty() && i == lines.length - 1) {
                break;
            }
            try {
                AuditRecord r = AuditChain.decode(lines[i].getBytes(StandardCharsets.UTF_8));
                if (!AuditChain.seal(r, r.seq(), r.time(), r.prevHash()).hash().equals(r.hash())) {
                    problems.add(AUDIT + " line " + (i + 1) + ": the record's hash does not match its content");
                } else if (!campaign.equals(r.campaignId())) {
                    problems.add(AUDIT + " line " + (i + 1) + ": record of another campaign");
                } else if (r.seq() <= last) {
                    problems.add(AUDIT + " line " + (i + 1) + ": records out of order (seq " + r.seq() + " after " + last + ")");
                } else {
                    out.add(r);
                }
                last = Math.max(last, r.seq());
            } catch (RuntimeException e) {
                problems.add(AUDIT + " line " + (i + 1) + ": " + firstLine(e.getMessage()));
            }
        }
        return out;
    }

    /** The anchors vehicles.json states are exactly those of the status records, and no vehicle's auditSeq goes back. */
    private static void checkAnchors(Map<String, byte[]> files, List<AuditRecord> audit, List<String> problems) {
        if (!files.containsKey(VEHICLES)) {
            return;
        }
        Map<String, List<String>> fromAudit = new HashMap<>();
        Map<String, Long> lastSeq = new HashMap<>();
        for (AuditRecord r : audit) {
            if (r.event() != AuditEvent.CAMPAIGN_STATUS_RECEIVED) {
                continue;
            }
            Optional<VehicleLogHead> h = VehicleLogHead.of(r);
            if (h.isPresent()) {
                fromAudit.computeIfAbsent(h.get().vehicleId(), v -> new ArrayList<>())
                        .add(r.seq() + " " + h.get().seq() + " " + h.get().sha256());
                Long before = lastSeq.put(h.get().vehicleId(), h.get().seq());
                if (before != null && h.get().seq() < before) {
                    problems.add("vehicle " + h.get().vehicleId() + ": its log anchor went back from auditSeq " + before
                            + " to " + h.get().seq() + " (OEM record " + r.seq() + ")");
                }
            }
        }
        try {
            JsonNode vehicles = JSON.readTree(files.get(VEHICLES));
            Set<String> seen = new HashSet<>();
            for (var it = vehicles.fields(); it.hasNext(); ) {
                var e = it.next();
                List<String> stated = new ArrayList<>();
                for (JsonNode a : e.getValue().path("anchors")) {
                    stated.add(a.path("oemSeq").asLong() + " " + a.path("auditSeq").asLong() + " " + a.path("auditHead").asText());
                }
                if (!stated.equals(fromAudit.getOrDefault(e.getKey(), List.of()))) {
                    problems.add(VEHICLES + ": the log anchors of vehicle " + e.getKey()
                            + " differ from the status records that carried them");
                }
                seen.add(e.getKey());
            }
            fromAudit.keySet().stream().filter(v -> !seen.contains(v)).sorted()
                    .forEach(v -> problems.add(VEHICLES + " leaves out vehicle " + v + ", whose status records carry anchors"));
        } catch (IOException e) {
            problems.add(VEHICLES + " is not JSON");
        }
    }

    private static void checkCampaign(Map<String, byte[]> files, String campaign, List<String> problems) {
        if (!files.containsKey(CAMPAIGN)) {
            return;
        }
        try {
            if (!campaign.equals(JSON.readTree(files.get(CAMPAIGN)).path("campaign").asText())) {
                problems.add(CAMPAIGN + " is of another campaign than the manifest names");
            }
        } catch (IOException e) {
            problems.add(CAMPAIGN + " is not JSON");
        }
    }

    private static String rootSha(TrustStore trust) {
        try {
            return Digests.sha256Hex(trust.root().getEncoded());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) throws IOException {
        return DurableFiles.readBounded(p, MAX_FILE_BYTES);
    }

    private static String firstLine(String s) {
        return s == null ? "" : clip(s.lines().findFirst().orElse(""));
    }

    private static String clip(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
