package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmota.signing.pki.Crypto;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every key and credential the command line writes, as OpenSSL 3 reads it: {@code openssl pkey}
 * on every private key ({@code ota oem init}, {@code ota supplier keygen}, each kind of
 * {@code ota oem issue}, {@code ota oem vehicle provision}) and {@code openssl verify} of each
 * credential's certificate against its {@code ca.pem} for its purpose.
 */
class CredentialsOpenSslIT {
    static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsOpenSsl() {
        if (!Files.isExecutable(OPENSSL)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI needs " + OPENSSL + " (apt-get install openssl; scripts/test.sh installs it)");
            }
            assumeTrue(false, "no " + OPENSSL);
        }
    }

    private static void ota(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = Main.run(args, CliEnv.system(), new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, code, () -> String.join(" ", args) + " -> " + out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void opensslReadsEveryKeyTheCommandsWrite() throws Exception {
        Path oem = dir.resolve("oem");
        ota("oem", "init", "--out", oem.toString());
        ota("supplier", "keygen", "--supplier", "acme", "--out", dir.resolve("acme").toString());
        Map<String, String> purposes = Map.of("vehicle", "sslclient", "supplier", "sslclient", "worker", "sslclient",
                "broker", "sslserver");
        ota("oem", "issue", "vehicle", "--oem", oem.toString(), "--id", "veh-1", "--out", dir.resolve("vehicle").toString());
        ota("oem", "issue", "supplier", "--oem", oem.toString(), "--supplier", "acme", "--out", dir.resolve("supplier").toString());
        ota("oem", "issue", "worker", "--oem", oem.toString(), "--worker", "w1", "--out", dir.resolve("worker").toString());
        ota("oem", "issue", "broker", "--oem", oem.toString(), "--dns", "localhost", "--ip", "127.0.0.1", "--out",
                dir.resolve("broker").toString());
        ota("oem", "vehicle", "provision", "--oem", oem.toString(), "--id", "veh-2", "--hardware", "ecu-a", "--out",
                dir.resolve("veh-2").toString());

        List<Path> keys;
        try (Stream<Path> all = Files.walk(dir)) {
            keys = all.filter(p -> p.getFileName().toString().endsWith("key.pem") && !p.endsWith("v2.key.pem")).sorted().toList();
        }
        assertEquals(4 + 1 + 4 + 1, keys.size(), () -> "root, supplier CA, release, campaign; acme; four kinds; veh-2: " + keys);
        for (Path key : keys) {
            assertEquals(0, openssl("pkey", "-in", key.toString(), "-noout"), () -> "openssl pkey -in " + key);
        }
        purposes.forEach((kind, purpose) -> verifies(dir.resolve(kind), purpose));
        verifies(dir.resolve("veh-2").resolve("credential"), "sslclient");
        assertNotEquals(0, openssl("verify", "-CAfile", dir.resolve("vehicle/ca.pem").toString(), "-purpose", "sslserver",
                dir.resolve("vehicle/cert.pem").toString()), "a vehicle's certificate is no server's");
    }

    /** Why keys are written as PKCS#8 v1: OpenSSL 3.0 fails on the v2 form Bouncy Castle writes by default. */
    @Test
    void opensslRefusesTheFormBouncyCastleWritesByDefault() throws Exception {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(Crypto.generateKeyPair(new java.security.SecureRandom()).getPrivate());
        }
        Path v2 = dir.resolve("v2.key.pem");
        Files.writeString(v2, pem.toString(), StandardCharsets.US_ASCII);
        assertNotEquals(0, openssl("pkey", "-in", v2.toString(), "-noout"),
                "OpenSSL 3.0 refused PKCS#8 v2 keys; if it reads them now, the note in Pem is out of date");
    }

    private static void verifies(Path credential, String purpose) {
        try {
            assertEquals(0, openssl("verify", "-CAfile", credential.resolve("ca.pem").toString(), "-purpose", purpose,
                    credential.resolve("cert.pem").toString()), () -> "openssl verify " + credential + " for " + purpose);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int openssl(String... args) throws Exception {
        List<String> command = Stream.concat(Stream.of(OPENSSL.toString()), Stream.of(args)).toList();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), String.join(" ", command));
        if (p.exitValue() != 0) {
            System.err.println(String.join(" ", command) + ": " + output);
        }
        return p.exitValue();
    }
}
