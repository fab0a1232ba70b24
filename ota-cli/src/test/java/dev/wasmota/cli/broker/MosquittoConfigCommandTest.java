package dev.wasmota.cli.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.protocol.TopicPolicy;
import dev.wasmota.protocol.Topics;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.CredentialDir;
import dev.wasmota.signing.pki.TrustHierarchy;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota broker mosquitto-config}: a TLS-only Mosquitto configuration under the one topic model, or a clear refusal. */
class MosquittoConfigCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private TrustHierarchy pki;

    @BeforeEach
    void pki() throws Exception {
        Fixtures fx = new Fixtures(dir.resolve("pki"));
        pki = TrustHierarchy.load(fx.oemDir(), Clock.fixed(Instant.now().minusSeconds(60), ZoneOffset.UTC), Fixtures.seeded(3));
    }

    /** Runs {@code ota broker mosquitto-config ARGS} as the command line does (its exit codes, its one-line refusals). */
    private int run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "broker";
        all[1] = "mosquitto-config";
        System.arraycopy(args, 0, all, 2, args.length);
        return Main.run(all, CliEnv.system(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesATlsOnlyListenerAndTheTopicPolicyWithEveryNamedWorker() throws Exception {
        Path tls = credential("broker-tls", pki.issueBroker(List.of("localhost"), List.of("127.0.0.1")));
        Path outDir = dir.resolve("mosquitto");
        assertEquals(0, run("--tls", tls.toString(), "--oem-worker", "oem-2", "--oem-worker", "oem-1", "--tls-port", "18883",
                "--topic-root", "fleet/eu", "--user", "wasmota", "--out", outDir.toString()), err.toString());

        String conf = Files.readString(outDir.resolve("mosquitto.conf"));
        assertEquals(1, conf.lines().filter(l -> l.startsWith("listener ")).count(), "one listener, no plain one: " + conf);
        assertTrue(conf.contains("listener 18883 127.0.0.1\n"), conf);
        assertTrue(conf.contains("require_certificate true\nuse_identity_as_username true\nallow_anonymous false\n"), conf);
        assertTrue(conf.contains("keyfile " + tls.toAbsolutePath().resolve("key.pem") + "\n"), conf);
        assertTrue(conf.contains("acl_file " + outDir.toAbsolutePath().resolve("acl") + "\n"), conf);
        assertTrue(conf.contains("persistence_location " + outDir.toAbsolutePath().resolve("data") + "/\n"), conf);
        assertTrue(conf.contains("user wasmota\n"), conf);
        assertTrue(Files.isDirectory(outDir.resolve("data")));
        assertEquals(new TopicPolicy(new Topics("fleet/eu")).mosquittoAcl(List.of("oem-1", "oem-2")),
                Files.readString(outDir.resolve("acl")));
        assertTrue(out.toString().contains("run: mosquitto -c " + outDir.resolve("mosquitto.conf")), out.toString());
    }

    @Test
    void refusesAClientCertificateAsTheBrokersWithItsReason() throws Exception {
        Path tls = credential("vehicle-tls", pki.issueClient(ClientKind.VEHICLE, "veh-1"));
        assertEquals(3, run("--tls", tls.toString(), "--oem-worker", "oem-1", "--out", dir.resolve("m").toString()));
        assertTrue(err.toString().contains("CREDENTIAL_"), err.toString());
        assertFalse(Files.exists(dir.resolve("m/mosquitto.conf")), "nothing written for a refused credential");
    }

    @Test
    void needsAtLeastOneWorkerAndAWorkerNameMosquittoCanMatch() throws Exception {
        Path tls = credential("broker-tls", pki.issueBroker(List.of("localhost"), List.of()));
        assertEquals(2, run("--tls", tls.toString(), "--out", dir.resolve("m").toString()));
        assertTrue(err.toString().contains("--oem-worker"), err.toString());
        assertEquals(2, run("--tls", tls.toString(), "--oem-worker", "a/#", "--out", dir.resolve("m").toString()));
        assertTrue(err.toString().contains("OEM client name"), err.toString());
        assertFalse(Files.exists(dir.resolve("m/mosquitto.conf")));
    }

    private Path credential(String name, dev.wasmota.signing.pki.Credential credential) throws Exception {
        Path tls = dir.resolve(name);
        new CredentialDir(credential, List.of(), pki.root().cert()).writeNew(tls);
        return tls;
    }
}
