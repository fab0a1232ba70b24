package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.CertIssuer;
import dev.wasmota.signing.pki.CertRole;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pki.CredentialDir;
import dev.wasmota.signing.pki.Crypto;
import dev.wasmota.signing.pki.Pem;
import dev.wasmota.signing.pki.TrustHierarchy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ota oem issue} and the credential checks every command taking credentials makes at start:
 * each refusal exits 3 with one line naming its reason, before anything connects.
 */
class CredentialCliTest {
    static final Clock LATER = Clock.fixed(Fixtures.T0.plus(Duration.ofDays(3 * 365)), ZoneOffset.UTC);
    static final Clock EARLIER = Clock.fixed(Fixtures.T0.minus(Duration.ofDays(1)), ZoneOffset.UTC);

    @TempDir
    static Path dir;
    static EcuCli cli;
    static Path oem;
    static Path vehicle;

    @BeforeAll
    static void provision() {
        cli = new EcuCli(dir);
        oem = dir.resolve("oem");
        vehicle = dir.resolve("veh-1");
        cli.ok("oem", "vehicle", "provision", "--oem", oem.toString(), "--id", "veh-1", "--hardware", "ecu-a",
                "--out", vehicle.toString());
    }

    private static final java.util.concurrent.atomic.AtomicInteger ISSUED = new java.util.concurrent.atomic.AtomicInteger();

    private static Path issue(String kind, String... more) {
        Path out = dir.resolve("issued-" + ISSUED.incrementAndGet() + "-" + kind);
        List<String> args = new java.util.ArrayList<>(List.of("oem", "issue", kind, "--oem", oem.toString(), "--out",
                out.toString()));
        args.addAll(List.of(more));
        cli.ok(args.toArray(String[]::new));
        return out;
    }

    private static Result refused(String reason, Clock clock, String... args) {
        Result r = EcuCli.assertRefused(3, cli.ota(clock, args));
        assertTrue(r.err().startsWith("rejected (" + reason + "): "), r::toString);
        return r;
    }

    private static Result ecuServe(Clock clock, Path tls) {
        return cli.ota(clock, "ecu", "serve", "--state", vehicle.toString(), "--tls", tls.toString(), "--broker",
                "ssl://127.0.0.1:1");
    }

    @Test
    void issuesEveryKindAsOneDirectoryAndAuditsIt() throws Exception {
        List<Path> dirs = List.of(issue("vehicle", "--id", "veh-9"), issue("supplier", "--supplier", "acme"),
                issue("worker", "--worker", "w1"), issue("broker", "--dns", "localhost", "--ip", "127.0.0.1"));
        List<String> names = List.of("vehicle/veh-9", "supplier/acme", "oem/w1", TrustHierarchy.BROKER_CN);
        for (int i = 0; i < dirs.size(); i++) {
            CredentialDir c = CredentialDir.read(dirs.get(i));
            assertEquals(names.get(i), CertIssuer.commonName(c.leaf()).orElseThrow());
            assertEquals(cli.fx.oem.root().cert(), c.anchor());
        }
        ExtendedKeyUsage vehicleEku = ExtendedKeyUsage.fromExtensions(CredentialDir.read(dirs.get(0)).leaf().getExtensions());
        assertTrue(vehicleEku.hasKeyPurposeId(CertRole.VEHICLE.purpose()), "a vehicle's carries the vehicle role");
        List<AuditRecord> log;
        try (CampaignWorkspace ws = CampaignWorkspace.open(oem, Optional.empty(), Clock.systemUTC(), new Random(1), "test")) {
            log = ws.trail().records();
        }
        for (String name : names) {
            assertTrue(log.stream().anyMatch(r -> r.event() == AuditEvent.CREDENTIAL_ISSUED && r.detail().startsWith(name + " ")),
                    () -> name + " audited: " + log);
        }
    }

    @Test
    void issueRefusesADirectoryThatHoldsACredentialAndNeedsABrokerHostName() {
        Path taken = issue("worker", "--worker", "w7");
        Result again = cli.ota("oem", "issue", "worker", "--oem", oem.toString(), "--worker", "w7", "--out", taken.toString());
        assertEquals(2, again.code(), again::toString);
        assertTrue(again.err().contains("refusing to overwrite " + taken.toAbsolutePath()), again.err());
        Result noHost = cli.ota("oem", "issue", "broker", "--oem", oem.toString(), "--out", dir.resolve("b0").toString());
        assertEquals(2, noHost.code(), noHost::toString);
        assertTrue(noHost.err().contains("at least one --dns or --ip"), noHost.err());
    }

    @Test
    void ecuServeRefusesAVehicleCertificateWithoutTheVehicleRole() throws Exception {
        KeyPair keys = Crypto.generateKeyPair(Fixtures.seeded(11));
        X509CertificateHolder cert = new CertIssuer(Fixtures.seeded(12)).tlsLeaf(cli.fx.oem.root().cert(),
                cli.fx.oem.root().key(), CertIssuer.name("vehicle/veh-1", TrustHierarchy.ORG),
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()), List.of(KeyPurposeId.id_kp_clientAuth),
                Optional.empty(), Fixtures.T0, TrustHierarchy.TLS_VALIDITY);
        Path tls = dir.resolve("no-role");
        new CredentialDir(new Credential(keys.getPrivate(), cert), List.of(), cli.fx.oem.root().cert()).writeNew(tls);
        Result r = EcuCli.assertRefused(3, ecuServe(cli.fx.clock, tls));
        assertTrue(r.err().startsWith("rejected (CREDENTIAL_ROLE_MISSING): --tls " + tls + ": certificate 'vehicle/veh-1' "
                + "lacks the vehicle role (extended key usage " + CertRole.VEHICLE.purpose().getId() + ")"), r.err());
    }

    @Test
    void ecuServeRefusesACredentialOfAnotherVehicleOrAnotherOem() {
        refused("CREDENTIAL_NAME_MISMATCH", cli.fx.clock, "ecu", "serve", "--state", vehicle.toString(), "--tls",
                issue("vehicle", "--id", "veh-2").toString());
        Fixtures other = new Fixtures(dir.resolve("other"), 2);
        Path foreign = dir.resolve("foreign");
        try {
            new CredentialDir(other.oem.issueClient(ClientKind.VEHICLE, "veh-1"), List.of(), other.oem.root().cert())
                    .writeNew(foreign);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Result r = refused("CREDENTIAL_UNTRUSTED", cli.fx.clock, "ecu", "serve", "--state", vehicle.toString(), "--tls",
                foreign.toString());
        assertTrue(r.err().contains("is not the one trusted here"), r.err());
    }

    @Test
    void ecuServeRefusesAnExpiredOrNotYetValidCredential() {
        Result expired = EcuCli.assertRefused(3, ecuServe(LATER, vehicle.resolve("credential")));
        assertTrue(expired.err().startsWith("rejected (CREDENTIAL_EXPIRED): "), expired.err());
        Result early = EcuCli.assertRefused(3, ecuServe(EARLIER, vehicle.resolve("credential")));
        assertTrue(early.err().startsWith("rejected (CREDENTIAL_NOT_YET_VALID): "), early.err());
    }

    @Test
    void oemServeRefusesAnotherWorkersOrAVehiclesCredential() {
        Path w2 = issue("worker", "--worker", "w2");
        Result r = refused("CREDENTIAL_NAME_MISMATCH", cli.fx.clock, "oem", "serve", "--oem", oem.toString(), "--worker", "w1",
                "--broker", "ssl://127.0.0.1:1", "--tls", w2.toString());
        assertTrue(r.err().contains("'oem/w2', not for 'oem/w1'"), r.err());
        refused("CREDENTIAL_NAME_MISMATCH", cli.fx.clock, "oem", "serve", "--oem", oem.toString(), "--worker", "veh-1",
                "--broker", "ssl://127.0.0.1:1", "--tls", vehicle.resolve("credential").toString());
        refused("CREDENTIAL_EXPIRED", LATER, "oem", "serve", "--oem", oem.toString(), "--worker", "w2",
                "--broker", "ssl://127.0.0.1:1", "--tls", w2.toString());
    }

    @Test
    void supplierSubmitRefusesAnotherSuppliersCredential() {
        Path pkg = cli.write(cli.supplierSigned("healthy_v1.wasm", EcuCli.spec("healthy", "1.0.0", EcuCli.HEALTHY_CAPS)),
                "submit-healthy.wotapkg");
        Result r = refused("CREDENTIAL_NAME_MISMATCH", cli.fx.clock, "supplier", "submit", "--package", pkg.toString(),
                "--broker", "ssl://127.0.0.1:1", "--tls", issue("supplier", "--supplier", "bolt").toString());
        assertTrue(r.err().contains("'supplier/bolt', not for 'supplier/acme'"), r.err());
    }

    @Test
    void supplierSubmitRefusesAnExpiredCredentialBeforeItConnects() {
        Path pkg = cli.write(cli.supplierSigned("healthy_v1.wasm", EcuCli.spec("healthy", "1.0.0", EcuCli.HEALTHY_CAPS)),
                "submit-expired.wotapkg");
        refused("CREDENTIAL_EXPIRED", LATER, "supplier", "submit", "--package", pkg.toString(), "--broker",
                "ssl://127.0.0.1:1", "--tls", issue("supplier", "--supplier", "acme").toString());
        refused("CREDENTIAL_NOT_YET_VALID", EARLIER, "supplier", "submit", "--package", pkg.toString(), "--broker",
                "ssl://127.0.0.1:1", "--tls", issue("supplier", "--supplier", "acme").toString());
    }

    @Test
    void brokerRefusesAClientCertificateOrAnExpiredOne() {
        refused("CREDENTIAL_ROLE_MISSING", cli.fx.clock, "broker", "--port", "0", "--tls-port", "0", "--tls",
                vehicle.resolve("credential").toString());
        refused("CREDENTIAL_EXPIRED", LATER, "broker", "--port", "0", "--tls-port", "0", "--tls",
                issue("broker", "--ip", "127.0.0.1").toString());
    }

    @Test
    void supplierSignRefusesAnExpiredCertificateATlsOneAndAForeignChain() throws Exception {
        Path pkg = cli.write(cli.fx.unsignedHealthy("1.0.0", "healthy_v1.wasm"), "to-sign.wotapkg");
        Path key = dir.resolve("acme.key.pem");
        Path chain = dir.resolve("acme.chain.pem");
        Files.writeString(key, Pem.encode(cli.fx.acme.keys().getPrivate()));
        Files.writeString(chain, Pem.encode(cli.fx.acme.chain().toArray()));
        refused("CREDENTIAL_EXPIRED", LATER, "supplier", "sign", "--package", pkg.toString(), "--key", key.toString(),
                "--cert", chain.toString());
        Path tls = issue("supplier", "--supplier", "acme");
        refused("CREDENTIAL_ROLE_MISSING", cli.fx.clock, "supplier", "sign", "--package", pkg.toString(), "--key",
                tls.resolve("key.pem").toString(), "--cert", tls.resolve("cert.pem").toString());
        Fixtures other = new Fixtures(dir.resolve("other-ca"), 3);
        Path foreignRoot = dir.resolve("foreign-root.pem");
        Files.writeString(foreignRoot, Pem.encode(other.oem.root().cert()));
        refused("CREDENTIAL_UNTRUSTED", cli.fx.clock, "supplier", "sign", "--package", pkg.toString(), "--key", key.toString(),
                "--cert", chain.toString(), "--ca", foreignRoot.toString());
        Result signed = cli.ota("supplier", "sign", "--package", pkg.toString(), "--key", key.toString(), "--cert",
                chain.toString(), "--ca", tls.resolve("ca.pem").toString());
        assertEquals(0, signed.code(), signed::toString);
    }
}
