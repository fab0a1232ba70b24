package dev.wasmota.oem.api;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.pki.ClientKind;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who calls the management API: the operator or viewer its TLS client certificate names (CN
 * {@code operator/NAME} or {@code viewer/NAME}, issued from the OEM root by {@code ota oem issue
 * operator|viewer}; the TLS handshake has already checked the chain). Audit records name the
 * caller as {@link #actor()}.
 */
public record Caller(ClientKind kind, String name) {
    /** True for an operator, who may change things; a viewer only reads. */
    public boolean mayChange() {
        return kind == ClientKind.OPERATOR;
    }

    /** How audit records name the caller, e.g. {@code operator/alice}. */
    public String actor() {
        return kind.commonName(name);
    }

    /** Parses {@link #actor()} back. */
    public static Caller parse(String actor) {
        Map.Entry<ClientKind, String> id = ClientKind.parse(actor).orElseThrow(() -> notAClient(actor));
        return of(id.getKey(), id.getValue());
    }

    /**
     * The caller of a TLS session.
     *
     * @throws RejectedException ({@link ApiFailure#NOT_AN_API_CLIENT}) if the session has no client
     *     certificate or its certificate names no operator or viewer
     */
    public static Caller of(SSLSession session) {
        return of(peer(session));
    }

    /**
     * The client certificate of a TLS session.
     *
     * @throws RejectedException ({@link ApiFailure#NOT_AN_API_CLIENT}) if there is none
     */
    public static X509Certificate peer(SSLSession session) {
        if (session == null) {
            throw notAClient("no TLS session");
        }
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw notAClient("no client certificate");
        }
        if (peer.length == 0 || !(peer[0] instanceof X509Certificate x)) {
            throw notAClient("no X.509 client certificate");
        }
        return x;
    }

    /** The caller a client certificate names; refused unless an operator or viewer. */
    public static Caller of(X509Certificate cert) {
        Optional<Map.Entry<ClientKind, String>> id = TlsMaterial.clientIdentity(cert);
        Map.Entry<ClientKind, String> who = id.orElseThrow(() -> notAClient("a certificate without a client name"));
        return of(who.getKey(), who.getValue());
    }

    private static Caller of(ClientKind kind, String name) {
        if (kind != ClientKind.OPERATOR && kind != ClientKind.VIEWER) {
            throw notAClient(kind.commonName(name));
        }
        return new Caller(kind, name);
    }

    private static RejectedException notAClient(String who) {
        return new RejectedException(ApiFailure.NOT_AN_API_CLIENT,
                who + " is not an operator or viewer of the management API (ota oem issue operator|viewer)");
    }
}
