package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.ecu.ProvisionedState;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.pki.IssuedCredentials;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.oem.provision.VehicleProvisioning;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota oem vehicle provision}: everything an empty vehicle needs, and its registration. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Provisions an empty vehicle: its registration and its ECU's state.",
                "Registers it (as vehicle register does) and writes its ECU's state directory,",
                "which ota ecu serve --state DIR starts from with nothing installed:",
                "DIR/ecu.json (vehicle and hardware id), DIR/trust/ (the OEM root and the trust",
                "update in force, from OEM/vehicle-trust) and DIR/credential/ (key.pem,",
                "cert.pem, ca.pem: a TLS client certificate with the vehicle role; its key",
                "signs the status reports). DIR must be absent or empty and appears whole or",
                "not at all; a vehicle registered with other hardware is refused. Audited in",
                "the OEM log (CREDENTIAL_ISSUED). Copy DIR to the vehicle over a trusted",
                "channel: it holds the vehicle's private key."})
final class VehicleProvisionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--oem", required = true, paramLabel = "DIR", description = "the OEM directory (ota oem init)")
    Path oemDir;

    @Option(names = "--db", paramLabel = "URL",
            description = "the OEM database's JDBC URL, shared with the oem serve"
            + " workers (default: the H2 file in DIR/campaigns, served to the other processes of this machine)")
    String dbUrl;

    @Option(names = "--id", required = true, paramLabel = "VIN", description = "the vehicle id campaigns name")
    String id;

    @Option(names = "--hardware", required = true, paramLabel = "H", description = "the ECU's hardware id")
    String hardware;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the vehicle's state directory to create")
    Path out;

    private final CliEnv env;

    VehicleProvisionCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        try (CampaignWorkspace ws = CampaignWorkspace.open(oemDir, Optional.ofNullable(dbUrl), env.clock(), env.random(),
                CampaignBaseCommand.ACTOR)) {
            OemPki pki = ws.pki();
            VehicleProvisioning.Provisioned p = VehicleProvisioning.provision(pki, ws.vehicles(), id, hardware, out);
            ws.trail().append(IssuedCredentials.audit(p.credential().leaf(), "provisioned vehicle " + id + " (hardware " + hardware
                    + ") into " + out.toAbsolutePath(), CampaignBaseCommand.ACTOR).build());
            PrintWriter o = spec.commandLine().getOut();
            o.printf("provisioned vehicle %s (hardware %s), registered; certificate serial %s valid until %s -> %s/%n", id,
                    hardware, p.credential().leaf().getSerialNumber().toString(16),
                    p.credential().leaf().getNotAfter().toInstant(), out);
            o.printf("  ecu.json, trust/ (trust update %d), %s/ (its private key: copy DIR over a trusted channel)%n",
                    pki.trustStore().sequence(), ProvisionedState.CREDENTIAL_DIR);
            o.println("  start it with: ota ecu serve --state " + out + " --broker ssl://HOST:PORT");
        }
        return 0;
    }
}
