package dev.wasmota.broker.internal;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import dev.wasmota.protocol.TopicPolicy;
import dev.wasmota.signing.pki.ClientKind;
import java.util.Map;
import java.util.Optional;

/** Applies {@link TopicPolicy} to every PUBLISH and SUBSCRIBE on the TLS listener; no recorded identity means deny. */
final class TopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {
    private final TopicPolicy policy;

    TopicAuthorizer(TopicPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        ConnectionInformation connection = input.getConnectionInformation();
        String topic = input.getPublishPacket().getTopic();
        if (!Listeners.isTls(connection)
                || identity(connection).filter(id -> policy.mayPublish(id.getKey(), id.getValue(), topic)).isPresent()) {
            output.authorizeSuccessfully();
        } else {
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not authorized to publish to " + topic);
        }
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        ConnectionInformation connection = input.getConnectionInformation();
        String filter = input.getSubscription().getTopicFilter();
        if (!Listeners.isTls(connection)
                || identity(connection).filter(id -> policy.maySubscribe(id.getKey(), id.getValue(), filter)).isPresent()) {
            output.authorizeSuccessfully();
        } else {
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not authorized to subscribe to " + filter);
        }
    }

    private static Optional<Map.Entry<ClientKind, String>> identity(ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(CertificateAuthenticator.IDENTITY)
                .flatMap(ClientKind::parse);
    }
}
