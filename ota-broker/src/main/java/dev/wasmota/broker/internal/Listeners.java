package dev.wasmota.broker.internal;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;

/** Which HiveMQ listener a client came through; unknown counts as TLS, so the checks fail closed. */
final class Listeners {

    private Listeners() {
    }

    static boolean isTls(ConnectionInformation connection) {
        return connection.getListener().map(Listener::getListenerType).orElse(ListenerType.TLS_TCP_LISTENER)
                != ListenerType.TCP_LISTENER;
    }
}
