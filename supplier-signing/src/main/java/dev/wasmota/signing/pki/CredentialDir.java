package dev.wasmota.signing.pki;

import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.io.WholeDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A party's credential as one directory, the form {@code ota oem issue} and
 * {@code ota oem vehicle provision} write and every command taking credentials reads
 * ({@code --tls DIR}): {@value #KEY_FILE}, the Ed25519 private key (PKCS#8 v1, readable by the
 * owner only); {@value #CERT_FILE}, its certificate followed by any intermediate CA certificates
 * (the chain a peer is sent); {@value #CA_FILE}, the trust anchor (the OEM root). OpenSSL 3,
 * Mosquitto, the JDK and this product read the files as written.
 */
public record CredentialDir(Credential credential, List<X509CertificateHolder> intermediates, X509CertificateHolder anchor) {
    public static final String KEY_FILE = "key.pem";
    public static final String CERT_FILE = "cert.pem";
    public static final String CA_FILE = "ca.pem";
    /** The files of a credential directory, in the order they are written. */
    public static final List<String> FILES = List.of(KEY_FILE, CERT_FILE, CA_FILE);

    public CredentialDir {
        intermediates = List.copyOf(intermediates);
    }

    /** The credential's certificate. */
    public X509CertificateHolder leaf() {
        return credential.cert();
    }

    /** The certificate, then the intermediates: {@value #CERT_FILE}. */
    public List<X509CertificateHolder> chain() {
        List<X509CertificateHolder> chain = new ArrayList<>();
        chain.add(credential.cert());
        chain.addAll(intermediates);
        return List.copyOf(chain);
    }

    /**
     * Reads the credential in {@code dir}.
     *
     * @throws NoSuchFileException naming the first of the three files that is missing
     * @throws dev.wasmota.contract.error.RejectedException {@code MALFORMED_KEY_MATERIAL} naming a
     *     file that is not what it should hold
     */
    public static CredentialDir read(Path dir) throws IOException {
        for (String file : FILES) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new NoSuchFileException(dir.resolve(file).toString(), null,
                        "a credential directory holds " + String.join(", ", FILES));
            }
        }
        List<X509CertificateHolder> chain = Pem.readCertificates(dir.resolve(CERT_FILE));
        return new CredentialDir(new Credential(Pem.readPrivateKey(dir.resolve(KEY_FILE)), chain.get(0)),
                chain.subList(1, chain.size()), Pem.readCertificate(dir.resolve(CA_FILE)));
    }

    /**
     * Writes this credential as the new directory {@code dir}, which must be absent or empty: the
     * directory appears whole or not at all, readable by its owner only.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code dir} holds anything
     */
    public void writeNew(Path dir) throws IOException {
        WholeDirectory.create(dir, this::writeFiles);
    }

    /** Writes the three files into {@code dir} (created if absent), each replacing an earlier one atomically. */
    public void replace(Path dir) throws IOException {
        DurableFiles.createDirectories(dir);
        writeFiles(dir);
    }

    private void writeFiles(Path dir) throws IOException {
        KeyFiles.replaceSecret(dir.resolve(KEY_FILE), Pem.encode(credential.key()).getBytes(StandardCharsets.US_ASCII));
        KeyFiles.writePublic(dir.resolve(CERT_FILE), Pem.encode(chain().toArray()));
        KeyFiles.writePublic(dir.resolve(CA_FILE), Pem.encode(anchor));
    }

    @Override
    public String toString() {
        return "CredentialDir[" + leaf().getSubject() + ", anchor " + anchor.getSubject() + "]";
    }
}
