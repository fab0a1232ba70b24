package dev.wasmota.cli.supplier;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.CliFiles;

import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pki.CertRole;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pki.CredentialCheck;
import dev.wasmota.signing.pki.Pem;
import dev.wasmota.signing.pki.TrustStore;
import java.security.PrivateKey;
import java.util.Optional;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.cert.X509CertificateHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota supplier sign}: adds the supplier signature (CMS SignedData, Ed25519). */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Adds the supplier signature to a package.",
                "Signs the canonical manifest, which binds the module by digest and length. The",
                "manifest's supplier becomes the certificate's; capabilities beyond the",
                "certificate are refused. Rewrites PKG in place unless --out is given. The key",
                "and certificate are checked first: the key is the certificate's, the",
                "certificate has the supplier role and is valid now, and, with --ca, it chains",
                "to the OEM root through the supplier CA; a refusal names the reason (exit 3)."})
public final class SupplierSignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--package", required = true, paramLabel = "PKG", description = "package to sign")
    Path pkgFile;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "supplier private key (PKCS#8 PEM)")
    Path key;

    @Option(names = "--cert", required = true, paramLabel = "CERT", description = "supplier certificate chain (ota oem enroll)")
    Path cert;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "the OEM root certificate to check the chain against (the ca.pem of ota oem issue supplier, "
                    + "or OEM/vehicle-trust/root-ca.cert.pem)")
    Path ca;

    @Option(names = "--out", paramLabel = "PKG", description = "write the signed package here instead of in place")
    Path out;

    private final CliEnv env;

    public SupplierSignCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ModulePackage pkg = CliFiles.readPackage(pkgFile);
        List<X509CertificateHolder> chain = Pem.readCertificates(cert);
        PrivateKey signingKey = Pem.readPrivateKey(key);
        Optional<TrustStore> anchor = ca == null ? Optional.empty() : Optional.of(new TrustStore(Pem.readCertificate(ca)));
        CredentialCheck.signer(CertRole.SUPPLIER).check(new Credential(signingKey, chain.get(0)), chain.subList(1, chain.size()),
                anchor, env.clock().instant(), "--key " + key + " with --cert " + cert);
        ModulePackage signed = new PackageSigner(env.clock()).sign(pkg, signingKey, chain);
        Path target = out != null ? out : pkgFile;
        PackageFile.write(target, signed);
        Manifest m = ManifestCodec.parse(signed.manifestBytes());
        spec.commandLine().getOut().printf("signed %s %s as supplier %s (%s) -> %s%n",
                m.moduleId(), m.version(), m.supplierId(), chain.get(0).getSubject(), target);
        return 0;
    }
}
