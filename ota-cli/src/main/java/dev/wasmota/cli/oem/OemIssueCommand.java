package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.pki.IssuedCredentials;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.CredentialDir;
import java.io.PrintWriter;
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

/**
 * {@code ota oem issue KIND}: the credentials of a deployment's parties from the OEM root, one
 * subcommand per kind, each taking the same name option the command that uses the credential
 * takes ({@code --id} as a vehicle's, {@code --supplier} as enrollment's, {@code --worker} as
 * {@code oem serve}'s, {@code --dns}/{@code --ip} for the broker's host names), so a typo is a
 * usage error and {@code --help} lists exactly what each kind needs. Each writes one credential
 * directory a command takes whole ({@code --tls DIR}).
 */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = {"Issues a party's credential from the OEM root as one directory.",
                "One kind per subcommand. The directory is what --tls DIR takes: key.pem the",
                "Ed25519 key (PKCS#8, owner-only; OpenSSL 3 reads it), cert.pem the",
                "certificate, ca.pem the trust anchor (the OEM root). Written whole or not at",
                "all into a new or empty DIR; audited in the OEM log (CREDENTIAL_ISSUED)."})
public final class OemIssueCommand implements Callable<Integer> {
    static final String ACTOR = "cli";

    @Spec
    CommandSpec spec;

    /** The {@code issue} command line with one subcommand per kind, to add under {@code ota oem}. */
    public static CommandLine commandLine(CliEnv env) {
        return new CommandLine(new OemIssueCommand()).addSubcommand(new Vehicle(env)).addSubcommand(new Supplier(env))
                .addSubcommand(new Worker(env)).addSubcommand(new Broker(env))
                .addSubcommand(new Operator(env)).addSubcommand(new Viewer(env));
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing kind; one of: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** What every kind shares: the OEM directory, the directory to write, issuing and auditing. */
    abstract static class Kind implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        OemOptions oem;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "the credential directory to create (absent or empty)")
        Path out;

        final CliEnv env;

        Kind(CliEnv env) {
            this.env = env;
        }

        @Override
        public final Integer call() throws Exception {
            validate();
            try (CampaignWorkspace ws = oem.open(env, ACTOR)) {
                OemPki pki = ws.pki();
                CredentialDir credential = issue(pki);
                credential.writeNew(out);
                ws.trail().append(IssuedCredentials.audit(credential.leaf(), "written to " + out.toAbsolutePath(), ACTOR).build());
                PrintWriter o = spec.commandLine().getOut();
                o.printf("issued %s (serial %s), valid until %s -> %s/%n", subject(credential),
                        credential.leaf().getSerialNumber().toString(16), credential.leaf().getNotAfter().toInstant(), out);
                o.printf("  %s the private key (owner-only), %s the certificate, %s the trust anchor (%s)%n",
                        CredentialDir.KEY_FILE, CredentialDir.CERT_FILE, CredentialDir.CA_FILE, subject(pki.root().cert()));
                o.println("  use it as: " + usage());
            }
            return 0;
        }

        /** Refuses options that cannot make a credential, before anything is opened. */
        void validate() {
        }

        abstract CredentialDir issue(OemPki pki);

        /** The command line that takes this credential. */
        abstract String usage();

        private static String subject(CredentialDir c) {
            return subject(c.leaf());
        }

        private static String subject(org.bouncycastle.cert.X509CertificateHolder cert) {
            return dev.wasmota.signing.pki.CertIssuer.commonName(cert).orElse(cert.getSubject().toString());
        }
    }

    /** {@code ota oem issue vehicle}. */
    @Command(name = "vehicle", mixinStandardHelpOptions = true,
            description = {"Issues a vehicle's credential (CN vehicle/ID, with the vehicle role).",
                    "TLS client authentication and the vehicle role: its key signs the status",
                    "reports. ota oem vehicle provision issues it as part of a whole vehicle state;",
                    "this re-issues one (e.g. before the old one expires)."})
    static final class Vehicle extends Kind {
        @Option(names = "--id", required = true, paramLabel = "VIN", description = "the vehicle id campaigns name")
        String id;

        Vehicle(CliEnv env) {
            super(env);
        }

        @Override
        CredentialDir issue(OemPki pki) {
            return IssuedCredentials.client(pki, ClientKind.VEHICLE, id);
        }

        @Override
        String usage() {
            return "ota ecu serve --state STATE --tls " + out + " (or put it at STATE/credential)";
        }
    }

    /** {@code ota oem issue supplier}. */
    @Command(name = "supplier", mixinStandardHelpOptions = true,
            description = {"Issues a supplier's TLS credential (CN supplier/ID).",
                    "TLS client authentication: it lets the supplier submit over MQTT. Its packages",
                    "are still signed with the key it enrolled (ota supplier keygen, ota oem",
                    "enroll), which never leaves it."})
    static final class Supplier extends Kind {
        @Option(names = "--supplier", required = true, paramLabel = "ID", description = "the supplier id, as enrolled")
        String supplier;

        Supplier(CliEnv env) {
            super(env);
        }

        @Override
        CredentialDir issue(OemPki pki) {
            return IssuedCredentials.client(pki, ClientKind.SUPPLIER, supplier);
        }

        @Override
        String usage() {
            return "ota supplier submit --broker ssl://HOST:PORT --tls " + out + " --package PKG";
        }
    }

    /** {@code ota oem issue worker}. */
    @Command(name = "worker", mixinStandardHelpOptions = true,
            description = {"Issues an OEM worker's credential (CN oem/NAME).", "TLS client authentication."})
    static final class Worker extends Kind {
        @Option(names = "--worker", required = true, paramLabel = "NAME", description = "the worker's name, as oem serve --worker")
        String worker;

        Worker(CliEnv env) {
            super(env);
        }

        @Override
        CredentialDir issue(OemPki pki) {
            return IssuedCredentials.client(pki, ClientKind.OEM, worker);
        }

        @Override
        String usage() {
            return "ota oem serve --oem " + oem.oemDir() + " --worker " + worker + " --broker ssl://HOST:PORT --tls " + out;
        }
    }

    /** {@code ota oem issue operator}. */
    @Command(name = "operator", mixinStandardHelpOptions = true,
            description = {"Issues a campaign operator's credential for the management API (CN operator/NAME).",
                    "TLS client authentication to ota oem serve --api: reads everything and steers",
                    "campaigns (create, start, pause, resume, abort, rollback); every change is",
                    "audited as operator/NAME. It opens no broker topic."})
    static final class Operator extends Kind {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the operator, as audit records name them")
        String name;

        Operator(CliEnv env) {
            super(env);
        }

        @Override
        CredentialDir issue(OemPki pki) {
            return IssuedCredentials.client(pki, ClientKind.OPERATOR, name);
        }

        @Override
        String usage() {
            return "ota oem campaign pause --api https://HOST:PORT --tls " + out + " --campaign ID";
        }
    }

    /** {@code ota oem issue viewer}. */
    @Command(name = "viewer", mixinStandardHelpOptions = true,
            description = {"Issues a viewer's credential for the management API (CN viewer/NAME).",
                    "TLS client authentication to ota oem serve --api: reads releases, the fleet,",
                    "campaigns, the audit trail and dead letters; changes nothing. It opens no broker topic."})
    static final class Viewer extends Kind {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the viewer's name")
        String name;

        Viewer(CliEnv env) {
            super(env);
        }

        @Override
        CredentialDir issue(OemPki pki) {
            return IssuedCredentials.client(pki, ClientKind.VIEWER, name);
        }

        @Override
        String usage() {
            return "ota oem campaign status --api https://HOST:PORT --tls " + out + " --campaign ID";
        }
    }

    /** {@code ota oem issue broker}. */
    @Command(name = "broker", mixinStandardHelpOptions = true,
            description = {"Issues the broker's credential for the names clients reach it by.",
                    "The same TLS server credential serves the management API (oem serve --api-tls).",
                    "TLS server authentication for those host names (subject alternative names;",
                    "clients check them). At least one --dns or --ip."})
    static final class Broker extends Kind {
        @Option(names = "--dns", paramLabel = "NAME", description = "a DNS name clients connect to (repeatable)")
        List<String> dns = new ArrayList<>();

        @Option(names = "--ip", paramLabel = "ADDR", description = "an IP address clients connect to, e.g. 127.0.0.1 (repeatable)")
        List<String> ip = new ArrayList<>();

        Broker(CliEnv env) {
            super(env);
        }

        @Override
        void validate() {
            if (dns.isEmpty() && ip.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "a broker credential needs at least one --dns or --ip");
            }
        }

        @Override
        CredentialDir issue(OemPki pki) {
            return IssuedCredentials.broker(pki, dns, ip);
        }

        @Override
        String usage() {
            return "ota broker --tls " + out;
        }
    }
}
