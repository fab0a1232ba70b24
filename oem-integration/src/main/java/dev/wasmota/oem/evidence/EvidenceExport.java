package dev.wasmota.oem.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.audit.AuditChain;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.WholeDirectory;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignFailure;
import dev.wasmota.oem.campaign.CampaignStatusJson;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.VehicleLogHead;
import dev.wasmota.oem.record.UpdateRecords;
import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.pki.Pem;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a campaign's evidence bundle (format {@value EvidenceBundle#FORMAT}): the release package
 * (both signatures, its SBOM), the SBOM and the intake report apart, the update record with its
 * V&V evidence reference, the software identification (the release's RXSWIN change, the vehicles'
 * configurations, those left out: {@value EvidenceBundle#RXSWIN}), the campaign and its waves, each vehicle's outcome with the log anchors
 * its signed status reports carried, the OEM's audit records of the campaign, the security events
 * counted by kind, the OEM root certificate, a readable self-contained {@code index.html}, and
 * {@code manifest.json} (every file's SHA-256 and length) signed by the OEM's campaign key. The
 * directory appears whole or not at all. {@link EvidenceBundle#verify} checks it offline.
 */
public final class EvidenceExport {
    static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final CampaignWorkspace ws;

    public EvidenceExport(CampaignWorkspace ws) {
        this.ws = ws;
    }

    /** Exports campaign {@code id} to {@code out}, which must not exist or be empty; returns the file names written. */
    public List<String> export(String id, Path out) throws IOException {
        Campaign k = ws.campaigns().find(id).orElseThrow(() -> new RejectedException(CampaignFailure.UNKNOWN_CAMPAIGN,
                "no campaign " + id));
        Instant now = ws.database().clock().instant().truncatedTo(ChronoUnit.SECONDS);
        Release release = ws.releases().get(k.release());
        byte[] pkgBytes = ws.releases().packageBytes(release);
        ModulePackage pkg = PackageFile.fromBytes(pkgBytes);
        Optional<byte[]> report = ws.releases().report(release);
        Optional<UpdateRecords.Stored> record = ws.records("evidence").find(id);
        List<Action> actions = ws.campaigns().actions(id);
        List<AuditRecord> trail = ws.trail().records();
        List<AuditRecord> ofCampaign = trail.stream().filter(r -> id.equals(r.campaignId())).toList();
        Set<String> vehicles = new java.util.TreeSet<>();
        actions.forEach(a -> vehicles.add(a.vehicleId()));
        SecurityEvents security = SecurityEvents.of(trail).concerning(id, vehicles);

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(EvidenceBundle.RELEASE, pkgBytes);
        pkg.sbom().ifPresent(s -> files.put(EvidenceBundle.SBOM, s));
        report.ifPresent(r -> files.put(EvidenceBundle.INTAKE_REPORT, r));
        Optional<dev.wasmota.signing.instruction.UserNotice> notice = ws.notices("evidence").forCampaign(id);
        Map<String, List<dev.wasmota.oem.record.CampaignNotices.Reported>> shown = ws.notices("evidence").reported(id);
        ObjectNode recordNode = recordJson(record, report);
        Optional<dev.wasmota.oem.record.ReleaseRecords.Stored> releaseRecord = ws.releaseRecords("evidence").find(k.release());
        releaseRecordJson(recordNode, record, releaseRecord);
        UserNoticeEvidence.addNotice(recordNode, notice);
        files.put(EvidenceBundle.RECORD, json(recordNode));
        files.put(EvidenceBundle.CAMPAIGN, json(CampaignStatusJson.tree(ws.campaigns().status(id), now)));
        ObjectNode vehiclesNode = vehiclesJson(actions, ofCampaign);
        UserNoticeEvidence.addReported(vehiclesNode, shown);
        files.put(EvidenceBundle.VEHICLES, json(vehiclesNode));
        files.put(EvidenceBundle.AUDIT, auditLines(ofCampaign));
        files.put(EvidenceBundle.SECURITY, json(security.toJson()));
        ObjectNode rxswin = RxswinEvidence.json(ws.rxswin("evidence"), k, actions);
        files.put(EvidenceBundle.RXSWIN, json(rxswin));
        files.put(EvidenceBundle.ROOT, Pem.encode(ws.pki().root().cert()).getBytes(StandardCharsets.US_ASCII));
        files.put(EvidenceBundle.HTML, EvidenceHtml.page(k, release, pkg, report, record, actions, ofCampaign, security, now,
                EvidenceHtml.releaseRecord(releaseRecord) + RxswinEvidence.html(rxswin) + UserNoticeEvidence.html(notice, shown))
                .getBytes(StandardCharsets.UTF_8));

        ObjectNode manifest = JsonNodeFactory.instance.objectNode();
        manifest.put("format", EvidenceBundle.FORMAT);
        manifest.put("campaign", id);
        manifest.put("release", k.release().toString());
        manifest.put("createdAt", now.toString());
        ArrayNode list = manifest.putArray("files");
        files.forEach((name, bytes) -> list.addObject().put("name", name).put("sha256", Digests.sha256Hex(bytes))
                .put("bytes", bytes.length));
        byte[] manifestBytes = CanonicalJson.bytes(manifest);
        byte[] signature = EvidenceSignature.sign(manifestBytes, ws.pki().campaign(), now);

        WholeDirectory.create(out, dir -> {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
            Files.write(dir.resolve(EvidenceBundle.MANIFEST), manifestBytes);
            Files.write(dir.resolve(EvidenceBundle.SIGNATURE), signature);
        });
        List<String> names = new java.util.ArrayList<>(files.keySet());
        names.add(EvidenceBundle.MANIFEST);
        names.add(EvidenceBundle.SIGNATURE);
        return names;
    }

    static ObjectNode recordJson(Optional<UpdateRecords.Stored> record, Optional<byte[]> report) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (record.isPresent()) {
            o.set("record", record.get().record().toJson());
            o.put("sha256", record.get().sha256());
            o.put("statedAt", record.get().statedAt().toString());
            ArrayNode missing = o.putArray("missing");
            record.get().record().missing().forEach(missing::add);
        } else {
            o.putNull("record");
        }
        ObjectNode vv = o.putObject("vvEvidence");
        if (report.isPresent()) {
            vv.put("intakeReport", EvidenceBundle.INTAKE_REPORT);
            vv.put("sha256", Digests.sha256Hex(report.get()));
        } else {
            vv.putNull("intakeReport");
        }
        return o;
    }

    /**
     * Adds the release's own record (issue 17) and the record the campaign ran under: its own over
     * the release's ({@code effective}); {@code null} where there is none.
     */
    static void releaseRecordJson(ObjectNode o, Optional<UpdateRecords.Stored> record,
                                  Optional<dev.wasmota.oem.record.ReleaseRecords.Stored> release) {
        if (release.isPresent()) {
            ObjectNode r = o.putObject("releaseRecord");
            r.set("record", release.get().record().toJson());
            r.put("sha256", release.get().sha256());
            r.put("statedAt", release.get().statedAt().toString());
        } else {
            o.putNull("releaseRecord");
        }
        Optional<dev.wasmota.oem.record.UpdateRecord> own = record.map(UpdateRecords.Stored::record);
        Optional<dev.wasmota.oem.record.UpdateRecord> base = release.map(dev.wasmota.oem.record.ReleaseRecords.Stored::record);
        Optional<dev.wasmota.oem.record.UpdateRecord> effective = own.isPresent() && base.isPresent()
                ? Optional.of(own.get().over(base.get())) : own.or(() -> base);
        if (effective.isPresent()) {
            o.set("effective", effective.get().toJson());
        } else {
            o.putNull("effective");
        }
    }

    /** Each vehicle's actions and the log anchors (auditSeq, auditHead) its status reports carried, as the OEM recorded them. */
    static ObjectNode vehiclesJson(List<Action> actions, List<AuditRecord> ofCampaign) {
        Map<String, ObjectNode> byVehicle = new TreeMap<>();
        for (Action a : actions) {
            ObjectNode v = byVehicle.computeIfAbsent(a.vehicleId(), id -> {
                ObjectNode n = JsonNodeFactory.instance.objectNode();
                n.putArray("actions");
                n.putArray("anchors");
                return n;
            });
            ObjectNode x = ((ArrayNode) v.get("actions")).addObject();
            x.put("kind", a.kind().name());
            x.put("wave", a.wave());
            x.put("status", a.status().name());
            x.put("cause", a.cause().orElse(null));
            x.put("detail", a.detail().orElse(null));
            a.issued().ifPresent(i -> x.put("instruction", i.instructionId()).put("counter", i.counter())
                    .put("packageSha256", i.packageSha256()).put("issuedAt", i.issuedAt().toString())
                    .put("expiresAt", i.expiresAt().toString()));
            x.put("updatedAt", a.updatedAt().toString());
        }
        for (AuditRecord r : ofCampaign) {
            Optional<VehicleLogHead> head = r.event() == AuditEvent.CAMPAIGN_STATUS_RECEIVED ? VehicleLogHead.of(r)
                    : Optional.empty();
            if (head.isPresent() && byVehicle.containsKey(head.get().vehicleId())) {
                ((ArrayNode) byVehicle.get(head.get().vehicleId()).get("anchors")).addObject().put("oemSeq", r.seq())
                        .put("auditSeq", head.get().seq()).put("auditHead", head.get().sha256()).put("status", r.cause());
            }
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        byVehicle.forEach(o::set);
        return o;
    }

    static byte[] auditLines(List<AuditRecord> records) {
        StringBuilder b = new StringBuilder();
        for (AuditRecord r : records) {
            b.append(new String(AuditChain.encode(r), StandardCharsets.UTF_8)).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] json(Object tree) {
        try {
            return PRETTY.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
