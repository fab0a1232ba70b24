package dev.wasmota.cli.oem;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.owner.ModuleOwnership;
import dev.wasmota.oem.owner.ModuleTransfer;
import dev.wasmota.oem.owner.OwnershipAudit;
import dev.wasmota.oem.owner.OwnershipTransfers;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import java.io.PrintWriter;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ota oem module}: who owns each module id; alone, it asks for a subcommand (exit 2). */
@Command(name = "module", mixinStandardHelpOptions = true,
        description = {"Who owns each module id; hands a module to another supplier.",
                "%nThe supplier whose package of a module id the intake first countersigned owns it; only the OEM"
                        + " hands it to another supplier (transfer).%n"})
public final class ModuleCommand implements Callable<Integer> {
    static final String ACTOR = "cli";

    @Spec
    CommandSpec spec;

    /** The {@code module} command line with its subcommands, to add under {@code ota oem}. */
    public static CommandLine commandLine(CliEnv env) {
        return new CommandLine(new ModuleCommand()).addSubcommand(new Transfer(env)).addSubcommand(new ListOwners(env));
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "missing command; one of: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code ota oem module transfer}. */
    @Command(name = "transfer", mixinStandardHelpOptions = true,
            description = {"Hands a module over from its owner to another supplier.",
                    "%nSigns the transfer with the OEM release key and records it in the OEM database; the OEM's audit"
                            + " trail records MODULE_OWNER_TRANSFERRED (a refused transfer too). From then on"
                            + " intake refuses the former owner's packages of the module and countersigns the new"
                            + " owner's with the transfer, which lets a vehicle running the former owner's module take"
                            + " them. The new owner's releases start above every security version countersigned for"
                            + " the module so far (or at --min-security-version), so no vehicle's anti-rollback floor"
                            + " lies above them.",
"%nWorks while oem serve workers run: they read the owners from the same database.",
                    "%nExit codes: 0 transferred, 2 usage, 4 refused (no owner yet, already the owner, a start at or"
                            + " below a released security version).%n"})
    static final class Transfer implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        OemOptions oem;

        @Option(names = "--module", required = true, paramLabel = "ID", description = "the module id")
        String module;

        @Option(names = "--to", required = true, paramLabel = "SUPPLIER", description = "the supplier id of the new owner")
        String to;

        @Option(names = "--reason", required = true, paramLabel = "TEXT",
                description = "why, kept in the signed transfer (at most " + ModuleTransfer.MAX_REASON + " characters)")
        String reason;

        @Option(names = "--min-security-version", paramLabel = "N",
                description = "where the new owner's releases start (default: one above the highest countersigned)")
        Long minSecurityVersion;

        private final CliEnv env;

        Transfer(CliEnv env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            requireArguments();
            PrintWriter out = spec.commandLine().getOut();
            try (CampaignWorkspace ws = oem.open(env, ACTOR)) {
                var audit = ws.trail();
                ModuleTransfer t;
                try {
                    t = OwnershipTransfers.transfer(ws.owners(), ws.pki().release(), module, to, reason,
                            minSecurityVersion == null ? OptionalLong.empty() : OptionalLong.of(minSecurityVersion),
                            env.clock().instant());
                } catch (RejectedException e) {
                    audit.append(AuditRecord.builder(AuditEvent.MODULE_OWNER_TRANSFERRED).actor(ACTOR).moduleId(module)
                            .outcome(AuditRecord.Outcome.REFUSED).cause(e.reason().name())
                            .detail("transfer to " + to + " refused: " + e.getMessage()).build());
                    throw e;
                }
                audit.append(OwnershipAudit.transferred(t, ACTOR).build());
                out.printf("module %s transferred from %s to %s; releases of %s start at security version %d%n",
                        t.moduleId(), t.from(), t.to(), t.to(), t.minSecurityVersion());
                out.printf("audit    the OEM audit trail: MODULE_OWNER_TRANSFERRED (seq %d)%n", audit.size());
            }
            return 0;
        }

        private void requireArguments() {
            if (!Manifest.ID.matcher(module).matches() || !Manifest.ID.matcher(to).matches()) {
                throw new ParameterException(spec.commandLine(), "--module and --to must be ids like "
                        + Manifest.ID.pattern());
            }
            if (reason.isBlank() || reason.length() > ModuleTransfer.MAX_REASON
                    || reason.chars().anyMatch(Character::isISOControl)) {
                throw new ParameterException(spec.commandLine(), "--reason must be 1.." + ModuleTransfer.MAX_REASON
                        + " characters on one line");
            }
            if (minSecurityVersion != null && (minSecurityVersion < 0 || minSecurityVersion > Manifest.MAX_SECURITY_VERSION)) {
                throw new ParameterException(spec.commandLine(), "--min-security-version is outside 0..2^32-1");
            }
        }
    }

    /** {@code ota oem module list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Lists each module's owner, highest security version and transfers."})
    static final class ListOwners implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        OemOptions oem;

        private final CliEnv env;

        ListOwners(CliEnv env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            java.util.List<ModuleOwnership> all;
            try (CampaignWorkspace ws = oem.open(env, ACTOR)) {
                all = ws.owners().list();
            }
            out.printf("%-24s %-16s %-20s %8s  %s%n", "MODULE", "OWNER", "SINCE", "HIGHEST", "TRANSFERS");
            for (ModuleOwnership m : all) {
                out.printf("%-24s %-16s %-20s %8d  %s%n", m.moduleId(), m.supplierId(), m.since(),
                        m.highestSecurityVersion(), m.transfers().isEmpty() ? "-" : String.join(", ", m.transfers().stream()
                                .map(t -> t.from() + "->" + t.to() + " from sv " + t.minSecurityVersion()).toList()));
            }
            out.flush();
            return 0;
        }
    }
}
