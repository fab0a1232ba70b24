package dev.wasmota.cli.ecu;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.audit.AuditLog;
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
                "deleted, reordered or truncated record."})
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
            out.println("audit log intact: " + r.summary());
            return 0;
        }
        spec.commandLine().getErr().println("rejected (AUDIT_CHAIN_BROKEN): " + r.summary());
        return dev.wasmota.contract.error.ExitCode.TRUST.code();
    }
}
