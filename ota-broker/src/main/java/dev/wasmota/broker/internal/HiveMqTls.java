package dev.wasmota.broker.internal;

import dev.wasmota.protocol.TopicPolicy;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import dev.wasmota.broker.BrokerException;
import dev.wasmota.protocol.tls.TlsMaterial;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The embedded broker's TLS listener key stores and its access-control extension. */
public final class HiveMqTls {

    private HiveMqTls() {
    }

    /** Converts the PEM material in {@code materialDir} into PKCS12 stores in {@code confDir}, under a fresh password. */
    public static HiveMqConfig.TlsStores writeStores(Path materialDir, Path confDir, int port) {
        TlsMaterial material;
        try {
            material = TlsMaterial.readPem(materialDir);
        } catch (RuntimeException e) {
            throw new BrokerException("cannot read TLS material in " + materialDir + ": " + e.getMessage(), e);
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path keyStore = confDir.resolve("broker-key.p12");
        Path trustStore = confDir.resolve("broker-trust.p12");
        try {
            material.writeKeyStores(keyStore, trustStore, password.toCharArray());
        } catch (RuntimeException e) {
            throw new BrokerException("cannot write key stores in " + confDir + ": " + e.getMessage(), e);
        }
        return new HiveMqConfig.TlsStores(port, keyStore, trustStore, password);
    }

    /** The extension that authenticates TLS clients by certificate and authorizes their topics. */
    public static EmbeddedExtension accessControl(TopicPolicy policy) {
        return EmbeddedExtension.builder()
                .withId("wasmota-access-control").withName("wasmota access control").withVersion("1")
                .withPriority(1000).withStartPriority(1000)
                .withExtensionMain(new AccessControlMain(policy)).build();
    }

    private static final class AccessControlMain implements ExtensionMain {
        private final TopicPolicy policy;

        AccessControlMain(TopicPolicy policy) {
            this.policy = policy;
        }

        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            TopicAuthorizer authorizer = new TopicAuthorizer(policy);
            CertificateAuthenticator authenticator = new CertificateAuthenticator();
            Services.securityRegistry().setAuthenticatorProvider(in -> authenticator);
            Services.securityRegistry().setAuthorizerProvider(in -> authorizer);
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        }
    }
}
