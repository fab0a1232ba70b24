package dev.wasmota.cli.oem;

import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditPrinter;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.VerifyResult;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.oem.audit.OemCheckpoints;
import dev.wasmota.oem.audit.VehicleLogCheck;
import dev.wasmota.oem.audit.VehicleLogVerifier;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota oem log}: the OEM's one audit trail; {@code --verify} checks it, {@code --vehicle --check} a vehicle's log against it. */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = {"Prints the OEM's audit trail, one record per line.",
                "%nOne trail for every command and every worker, in the OEM database, hash-chained as an audit log"
                        + " file is. With --verify, checks the"
                        + " whole chain instead (and the audit log files an earlier version kept in DIR, audit.log and"
                        + " audit-NAME.log, if any), exiting 3 at the first edited, deleted or reordered record; then the"
                        + " checkpoints the campaign key signed over the trail's head at each campaign step, exiting 3 when"
                        + " the trail no longer holds a signed head (rewritten with its chain recomputed, or cut).",
                "%nWith --vehicle V, lists the heads of vehicle V's own audit log that its signed status reports named,"
                        + " which the trail keeps; with --check FILE as well, checks that vehicle's log file against them:"
                        + " it must verify, and hold at each head's seq exactly the record the vehicle reported (exit 3"
                        + " when it was rewritten or cut after it reported; 4 when the OEM holds no head of V).",
                "%nWorks while oem serve workers run.%n"})
public final class OemLogCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OemOptions oem;

    @Option(names = "--verify", description = "check the hash chain instead of printing")
    boolean verify;

    @Option(names = "--vehicle", paramLabel = "V", description = "the heads of vehicle V's log the OEM holds")
    String vehicle;

    @Option(names = "--check", paramLabel = "FILE", description = "with --vehicle: check vehicle V's audit log file against them")
    Path check;

    private final CliEnv env;

    public OemLogCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (check != null && vehicle == null) {
            throw new CommandLine.ParameterException(cl, "--check needs --vehicle: whose reported log heads to check against");
        }
        if (check != null && !Files.isRegularFile(check)) {
            throw new NoSuchFileException(check.toString(), null, "no vehicle audit log there");
        }
        PrintWriter out = cl.getOut();
        try (CampaignWorkspace ws = oem.open(env, "cli")) {
            if (vehicle != null) {
                return vehicle(ws, out);
            }
            if (verify) {
                return verify(ws, out, cl.getErr());
            }
            for (AuditRecord r : ws.trail().records()) {
                out.println(AuditPrinter.render(r));
            }
            out.flush();
            return 0;
        }
    }

    private int verify(CampaignWorkspace ws, PrintWriter out, PrintWriter err) throws IOException {
        boolean ok = true;
        VerifyResult trail = ws.trail().verify();
        if (trail.ok()) {
            out.println("OEM audit trail intact: " + trail.records() + " records, head " + trail.headHash());
            OemCheckpoints.Result signed = OemCheckpoints.verify(ws.database(), ws.trail(), ws.pki().campaign().cert());
            if (signed.ok()) {
                out.println("OEM audit trail anchored: " + signed.summary());
            } else {
                err.println("rejected (AUDIT_CHAIN_BROKEN): " + signed.summary());
                ok = false;
            }
        } else {
            err.println("rejected (AUDIT_CHAIN_BROKEN): OEM audit trail " + trail.summary().replaceFirst("^audit log ", ""));
            ok = false;
        }
        for (Path file : earlierLogs()) {
            VerifyResult r = AuditLog.verify(file);
            if (r.ok()) {
                out.println("earlier audit log " + file + " intact: " + r.records() + " records, head " + r.headHash());
            } else {
                err.println("rejected (AUDIT_CHAIN_BROKEN): earlier audit log " + file + ": " + r.summary());
                ok = false;
            }
        }
        out.flush();
        err.flush();
        return ok ? 0 : ExitCode.TRUST.code();
    }

    private int vehicle(CampaignWorkspace ws, PrintWriter out) {
        List<VehicleLogCheck.Anchor> anchors = VehicleLogCheck.anchors(ws.trail(), vehicle);
        if (check == null) {
            out.printf("%-8s %-24s %-24s %-18s %s%n", "TRAIL", "REPORTED", "CAMPAIGN", "VEHICLE LOG SEQ", "HASH");
            for (VehicleLogCheck.Anchor a : anchors) {
                out.printf("%-8d %-24s %-24s %-18d %s%n", a.trailSeq(), a.at(), a.campaignId(), a.head().seq(),
                        a.head().sha256());
            }
            out.flush();
            return 0;
        }
        VehicleLogVerifier.Verdict v = VehicleLogVerifier.verify(check,
                VehicleLogVerifier.held(ws.trail(), ws.campaigns().anchors(), vehicle));
        if (v.first().isPresent()) {
            throw new RejectedException(v.first().get().kind().reason(), "vehicle " + vehicle + "'s log " + check + ": "
                    + v.summary());
        }
        out.printf("vehicle %s's log %s matches the OEM's %d record(s) of it: %s%n", vehicle, check, v.anchors(), v.summary());
        out.flush();
        return 0;
    }

    /** The audit log files of earlier versions in the OEM directory: audit.log and each worker's audit-NAME.log. */
    private List<Path> earlierLogs() throws IOException {
        List<Path> files = new ArrayList<>();
        Path dir = oem.oemDir();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "audit*.log")) {
            s.forEach(files::add);
        }
        files.sort(null);
        return files;
    }
}
