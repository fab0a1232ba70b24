package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota oem release}: the release store; alone, it asks for a subcommand (exit 2). */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"Publishes and lists the releases campaigns roll out."})
public final class ReleaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The {@code release} command line with its subcommands, to add under {@code ota oem}. */
    public static CommandLine commandLine(CliEnv env) {
        return new CommandLine(new ReleaseCommand()).addSubcommand(new Publish(env)).addSubcommand(new ListReleases(env))
                .addSubcommand(new ReleaseRecordCommand(env));
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command; one of: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code ota oem release publish}. */
    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {"Publishes a countersigned package as a release.",
                    "Both signatures are verified first; the package (and its report) go into the OEM database, "
                    + "where every oem serve worker reads them. "
                    + "Publishing the same package again changes nothing; another package under a published "
                    + "module id and version is refused (exit 4). A supplier-only package is refused (exit 3)."})
    static final class Publish implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        OemOptions oem;

        @Option(names = "--package", required = true, paramLabel = "PKG", description = "the countersigned package")
        Path pkg;

        @Option(names = "--report", paramLabel = "FILE", description = "the integration report (JSON) to keep beside it")
        Path report;

        private final CliEnv env;

        Publish(CliEnv env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            byte[] bytes = CliFiles.readBounded(cl, pkg, PackageFile.MAX_FILE_BYTES, "package");
            Optional<byte[]> reportBytes = report == null ? Optional.empty()
                    : Optional.of(CliFiles.readBounded(cl, report, ReleaseStore.MAX_REPORT_BYTES, "report"));
            Release r;
            try (CampaignWorkspace ws = oem.open(env, "cli")) {
                r = ws.releases().publish(bytes, reportBytes);
            }
            cl.getOut().printf("published %s (security version %d, supplier %s, package %s)%n", r.id(),
                    r.securityVersion(), r.supplierId(), r.packageSha256());
            return 0;
        }
    }

    /** {@code ota oem release list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Lists the published releases by module and security version."})
    static final class ListReleases implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        OemOptions oem;

        private final CliEnv env;

        ListReleases(CliEnv env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<Release> all;
            try (CampaignWorkspace ws = oem.open(env, "cli")) {
                all = ws.releases().list();
            }
            out.printf("%-24s %-12s %8s  %-16s %-12s %s%n", "MODULE", "VERSION", "SECURITY", "SUPPLIER", "PACKAGE",
                    "PUBLISHED");
            for (Release r : all) {
                out.printf("%-24s %-12s %8d  %-16s %-12s %s%n", r.moduleId(), r.version(), r.securityVersion(),
                        r.supplierId(), r.packageSha256().substring(0, 12), r.publishedAt());
            }
            out.flush();
            return 0;
        }
    }
}
