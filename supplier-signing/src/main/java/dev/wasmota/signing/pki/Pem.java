package dev.wasmota.signing.pki;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * PEM files of keys (PKCS#8), certificates and certificate requests, read with a size cap. Private
 * keys are always written as PKCS#8 v1 ({@code PRIVATE KEY}, without the optional public key of
 * RFC 5958's v2): OpenSSL 3.0's PKCS#8 decoder knows only the v1 fields, so it fails on the
 * {@code [1] publicKey} Bouncy Castle adds ("wrong tag" at {@code Field=attributes}, reported by
 * {@code openssl pkey} as "unsupported"). Both forms are read.
 */
public final class Pem {
    /** Largest PEM file read. */
    public static final long MAX_BYTES = 64 * 1024;

    private Pem() {
    }

    /** The PEM text of {@code objects}, in order; a private key as PKCS#8 v1 (see above). */
    public static String encode(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o instanceof PrivateKey key ? JdkKeys.pkcs8v1(key) : o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        List<Object> objects = readAll(file);
        if (objects.size() != 1 || !(objects.get(0) instanceof PrivateKeyInfo info)) {
            throw bad(file + " does not hold exactly one PKCS#8 private key");
        }
        return new JcaPEMKeyConverter().setProvider(Crypto.PROVIDER).getPrivateKey(info);
    }

    /** Every certificate in {@code file}, in file order (leaf first for a chain). */
    public static List<X509CertificateHolder> readCertificates(Path file) throws IOException {
        List<X509CertificateHolder> certs = new ArrayList<>();
        for (Object o : readAll(file)) {
            if (!(o instanceof X509CertificateHolder c)) {
                throw bad(file + " holds something other than certificates");
            }
            certs.add(c);
        }
        if (certs.isEmpty()) {
            throw bad(file + " holds no certificate");
        }
        return certs;
    }

    public static X509CertificateHolder readCertificate(Path file) throws IOException {
        List<X509CertificateHolder> certs = readCertificates(file);
        if (certs.size() != 1) {
            throw bad(file + " holds " + certs.size() + " certificates; expected one");
        }
        return certs.get(0);
    }

    public static PKCS10CertificationRequest readCertificationRequest(Path file) throws IOException {
        List<Object> objects = readAll(file);
        if (objects.size() != 1 || !(objects.get(0) instanceof PKCS10CertificationRequest csr)) {
            throw bad(file + " does not hold exactly one certificate request");
        }
        return csr;
    }

    private static List<Object> readAll(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = DurableFiles.readBounded(file, MAX_BYTES);
        } catch (RejectedException e) {
            throw bad(file + " is larger than " + MAX_BYTES + " bytes, the most a PEM file may hold");
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<Object> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                out.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw bad(file + " is not valid PEM: " + e.getMessage());
        }
        return out;
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, detail);
    }
}
