package dev.wasmota.broker.internal;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.protocol.tls.TlsMaterial;
import java.util.Map;
import java.util.Optional;

/**
 * Admits a client on the TLS listener only if its certificate (already chained to the OEM root by the TLS
 * handshake) names a {@link ClientKind} identity, and records that identity for {@link TopicAuthorizer}.
 * Clients of the plain listener are admitted unrestricted.
 */
final class CertificateAuthenticator implements SimpleAuthenticator {

    static final String IDENTITY = "dev.wasmota.broker.identity";

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectionInformation connection = input.getConnectionInformation();
        if (!Listeners.isTls(connection)) {
            output.authenticateSuccessfully();
            return;
        }
        Optional<Map.Entry<ClientKind, String>> identity = connection.getClientTlsInformation()
                .flatMap(ClientTlsInformation::getClientCertificate)
                .flatMap(TlsMaterial::clientIdentity);
        if (identity.isEmpty()) {
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "no client identity in the TLS certificate");
            return;
        }
        connection.getConnectionAttributeStore()
                .putAsString(IDENTITY, identity.get().getKey().prefix() + "/" + identity.get().getValue());
        output.authenticateSuccessfully();
    }
}
