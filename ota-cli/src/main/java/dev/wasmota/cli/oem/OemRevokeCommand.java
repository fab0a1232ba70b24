package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.trust.TrustAudit;
import dev.wasmota.contract.Digests;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.Pem;
import dev.wasmota.signing.pki.Revocation;
import dev.wasmota.signing.pki.TrustUpdate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bouncycastle.cert.X509CertificateHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ota oem revoke}: signs the next trust update with the OEM root, revoking keys or certificates. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revokes compromised keys or certificates for vehicles and intake.",
                "%nSigns the next trust update with the OEM root key (sequence + 1, every earlier revocation kept)"
                        + " and writes it durably to DIR/vehicle-trust/trust-update.wotatrust. From there OEM intake"
                        + " refuses at once, `ota ecu verify/install --trust DIR/vehicle-trust` and newly provisioned"
                        + " vehicles get it, `ota ecu trust --update FILE` applies it. It is recorded in the OEM"
                        + " database, from where every `ota oem serve` worker writes it into its own OEM directory"
                        + " (its intake refuses too) and one of them sends it to every registered vehicle. A revoked key"
                        + " refuses every certificate carrying it, a re-issued one included. Modules already installed"
                        + " keep running.",
                "%nThe OEM's audit trail records TRUST_UPDATED (ISSUED here, QUEUED when sent to the fleet).%n"})
public final class OemRevokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OemOptions oem;

    @Option(names = "--cert", paramLabel = "CERT", description = "revoke this certificate (PEM); repeatable")
    List<Path> certs = new ArrayList<>();

    @Option(names = "--key-of", paramLabel = "CERT",
            description = "revoke the key in this certificate (PEM): every certificate carrying it; repeatable")
    List<Path> keysOf = new ArrayList<>();

    @Option(names = "--key-sha256", paramLabel = "HEX",
            description = "revoke the key whose SubjectPublicKeyInfo has this SHA-256; repeatable")
    List<String> keyHashes = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "",
            description = "why, kept with each entry (at most " + Revocation.MAX_REASON + " characters)")
    String reason;

    private final CliEnv env;

    public OemRevokeCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (certs.isEmpty() && keysOf.isEmpty() && keyHashes.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "nothing to revoke: give --cert, --key-of or --key-sha256");
        }
        List<Revocation> keys = new ArrayList<>();
        for (String hex : keyHashes) {
            keys.add(entry(hex.toLowerCase(Locale.ROOT), "--key-sha256 " + hex));
        }
        for (Path p : keysOf) {
            keys.add(entry(Revocation.keySha256(Pem.readCertificate(p)), "--key-of " + p));
        }
        List<Revocation> certificates = new ArrayList<>();
        for (Path p : certs) {
            certificates.add(entry(Revocation.certificateSha256(Pem.readCertificate(p)), "--cert " + p));
        }
        OemPki pki = OemPki.load(oem.oemDir(), env.clock(), env.random());
        refuseRoot(pki, keys, certificates);
        PrintWriter out = spec.commandLine().getOut();
        Optional<TrustUpdate> written = pki.revoke(keys, certificates);
        if (written.isEmpty()) {
            out.printf("nothing new: everything given is already revoked by trust update %d in %s%n",
                    pki.trustStore().sequence(), pki.trustUpdateFile());
            return 0;
        }
        TrustUpdate u = written.get();
        out.printf("trust update %d written to %s: %d key(s) and %d certificate(s) revoked%n", u.sequence(),
                pki.trustUpdateFile(), u.revokedKeys().size(), u.revokedCertificates().size());
        out.println(audit(u));
        return 0;
    }

    private Revocation entry(String sha256, String given) {
        if (!Digests.SHA256_HEX.matcher(sha256).matches()) {
            throw new ParameterException(spec.commandLine(), given + " is not a SHA-256 (64 hex digits)");
        }
        try {
            return new Revocation(sha256, reason);
        } catch (RejectedException e) {
            throw new ParameterException(spec.commandLine(), "--reason: " + e.getMessage());
        }
    }

    /** The root cannot revoke itself: replacing it is a re-provisioning of every vehicle, not a revocation. */
    private void refuseRoot(OemPki pki, List<Revocation> keys, List<Revocation> certificates) {
        X509CertificateHolder root = pki.root().cert();
        if (keys.stream().anyMatch(r -> r.sha256().equals(Revocation.keySha256(root)))
                || certificates.stream().anyMatch(r -> r.sha256().equals(Revocation.certificateSha256(root)))) {
            throw new ParameterException(spec.commandLine(), "refusing to revoke the OEM root '" + root.getSubject()
                    + "' with its own signature; replacing the root means provisioning vehicles anew");
        }
    }

    /** Records the update in the OEM database (so every worker gets it) and audits it. */
    private String audit(TrustUpdate u) {
        try (CampaignWorkspace ws = oem.open(env, "cli")) {
            ws.trust().sync();
            ws.trail().append(TrustAudit.issued(u, "cli").build());
            return "audit   the OEM audit trail: TRUST_UPDATED; recorded in the OEM database for every oem serve worker";
        }
    }
}
