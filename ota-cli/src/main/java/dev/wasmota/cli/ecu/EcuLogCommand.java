package dev.wasmota.cli.ecu;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.audit.AuditAnchorFile;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditPrinter;
import dev.wasmota.audit.VerifyResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota ecu log}: prints the audit log; {@code --verify} checks its hash chain. */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = {"Prints the ECU's audit log, one record per line.",
                "With --verify, checks the hash chain instead and exits 3 at the first edited,",
                "deleted, reordered or truncated record, or when the log no longer holds the head",
                "the vehicle last put in a signed status report (STATE/audit.log.anchor)."})
public final class EcuLogCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--state", required = true, paramLabel = "DIR", description = "the ECU's state directory")
    Path state;

    @Option(names = "--verify", description = "check the hash chain instead of printing")
    boolean verify;

    @Override
    public Integer call() throws Exception {
        Path file = state.resolve(EcuHost.AUDIT_FILE);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        var out = spec.commandLine().getOut();
        if (!verify) {
            AuditPrinter.print(file, out);
            out.flush();
            return 0;
        }
        VerifyResult r = AuditLog.verify(file);
        if (r.ok()) {
            var anchor = AuditAnchorFile.of(file).read();
            String held = anchor.flatMap(a -> AuditLog.recordAt(file, a.seq())).map(AuditRecord::hash).orElse("");
            if (anchor.isPresent() && !held.equals(anchor.get().hash())) {
                spec.commandLine().getErr().println("rejected (AUDIT_CHAIN_BROKEN): " + r.summary() + "; but this vehicle"
                        + " reported its log at seq " + anchor.get().seq() + " with head " + anchor.get().hash() + ", and the log "
                        + (held.isEmpty() ? "ends before it" : "holds " + held + " there") + ": rewritten or cut since it reported");
                return dev.wasmota.contract.error.ExitCode.TRUST.code();
            }
            out.println("audit log intact: " + r.summary() + anchor.map(a -> "; holds the head it reported, seq " + a.seq())
                    .orElse(""));
            return 0;
        }
        spec.commandLine().getErr().println("rejected (AUDIT_CHAIN_BROKEN): " + r.summary());
        return dev.wasmota.contract.error.ExitCode.TRUST.code();
    }
}
