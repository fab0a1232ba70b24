package dev.wasmota.oem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Revocation;
import dev.wasmota.signing.pki.TrustHierarchy;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what, per endpoint: a viewer reads everything and changes nothing, a party that is
 * not an operator or viewer (an OEM worker) is refused everywhere, and a client without a
 * certificate of the OEM root never gets past the handshake.
 */
class ApiAccessTest {
    @TempDir
    static Path dir;
    static ApiKit api;

    @BeforeAll
    static void start() {
        api = new ApiKit(dir);
        List<String> ids = api.kit.vehicles(4);
        api.kit.service.create(api.kit.spec(api.kit.v2, ids, "50%,100%").id(ApiEndpoints.CAMPAIGN).build());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aViewerAndAnOperatorReadEveryResource() {
        for (String[] e : ApiEndpoints.READS) {
            assertEquals(200, api.viewer.get(e[1]).status(), e[0]);
            assertEquals(200, api.operator.get(e[1]).status(), e[0]);
        }
    }

    @Test
    void aViewerChangesNothingAtAnyEndpoint() {
        long records = api.kit.audit.size();
        for (String[] e : ApiEndpoints.CHANGES) {
            String body = e[1].endsWith("/campaigns") ? "{\"release\":\"healthy@2.0.0\",\"hardware\":\"ecu-a\",\"waves\":\"100%\"}" : null;
            ApiKit.Reply r = api.viewer.change(ApiEndpoints.method(e), e[1], body);
            assertEquals(403, r.status(), e[0] + ": " + r.body());
            assertEquals("FORBIDDEN", r.reason(), e[0]);
        }
        assertEquals(Campaign.State.CREATED, api.kit.service.get(ApiEndpoints.CAMPAIGN).state());
        assertEquals(1, api.kit.service.list().size());
        assertEquals(records, api.kit.audit.size());
    }

    @Test
    void anOemWorkerCertificateIsNoApiClient() {
        for (String[] e : ApiEndpoints.READS) {
            ApiKit.Reply r = api.worker.get(e[1]);
            assertEquals(403, r.status(), e[0]);
            assertEquals("NOT_AN_API_CLIENT", r.reason(), e[0]);
        }
        for (String[] e : ApiEndpoints.CHANGES) {
            assertEquals("NOT_AN_API_CLIENT", api.worker.change(ApiEndpoints.method(e), e[1], null).reason(), e[0]);
        }
        assertEquals(Campaign.State.CREATED, api.kit.service.get(ApiEndpoints.CAMPAIGN).state());
    }

    @Test
    void aCallerHeaderSentByTheClientIsIgnored() {
        ApiKit.Reply r = api.viewer.send(java.net.http.HttpRequest.newBuilder(api.server.uri().resolve("/api/v1/campaigns/"
                + ApiEndpoints.CAMPAIGN + "/start")).header(ApiRoutes.CALLER_HEADER, "operator/alice")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, r.status(), r.body());
        assertEquals("FORBIDDEN", r.reason());
        ApiKit.Reply w = api.worker.send(java.net.http.HttpRequest.newBuilder(api.server.uri().resolve("/api/v1/fleet"))
                .header(ApiRoutes.CALLER_HEADER, "operator/alice").GET());
        assertEquals("NOT_AN_API_CLIENT", w.reason());
        assertEquals(Campaign.State.CREATED, api.kit.service.get(ApiEndpoints.CAMPAIGN).state());
    }

    @Test
    void aRevokedOperatorIsRefused() throws Exception {
        TlsMaterial carol = TlsMaterial.of(api.kit.oem.issueClient(ClientKind.OPERATOR, "carol"), List.of(),
                api.kit.oem.root().cert());
        ApiKit.Client client = api.client(carol);
        assertEquals(200, client.get("/api/v1/fleet").status());
        api.kit.oem.revoke(List.of(), List.of(new Revocation(Revocation.certificateSha256(carol.leaf()), "left the company")));
        ApiKit.Reply r = client.post("/api/v1/campaigns/" + ApiEndpoints.CAMPAIGN + "/start", null);
        assertEquals(403, r.status(), r.body());
        assertEquals("CREDENTIAL_REVOKED", r.reason());
        assertEquals(Campaign.State.CREATED, api.kit.service.get(ApiEndpoints.CAMPAIGN).state());
        assertEquals(200, api.operator.get("/api/v1/fleet").status());
    }

    @Test
    void aClientWithoutACertificateIsRefusedInTheHandshake() throws Exception {
        javax.net.ssl.SSLContext trustOnly = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(TlsMaterial.of(api.kit.oem.issueClient(ClientKind.VIEWER, "x"), List.of(), api.kit.oem.root().cert()).trustStore());
        trustOnly.init(null, tmf.getTrustManagers(), null);
        ApiKit.Client anonymous = new ApiKit.Client(HttpClient.newBuilder().sslContext(trustOnly).build(), api.server.uri());
        assertThrows(UncheckedIOException.class, () -> anonymous.get("/api/v1/fleet"));
    }

    @Test
    void anOperatorCertificateOfAnotherRootIsRefusedInTheHandshake() {
        TrustHierarchy stranger = new Fixtures(dir.resolve("stranger"), 99).oem;
        TlsMaterial theirs = TlsMaterial.of(stranger.issueClient(ClientKind.OPERATOR, "mallory"), List.of(), api.kit.oem.root().cert());
        ApiKit.Client mallory = new ApiKit.Client(HttpClient.newBuilder().sslContext(theirs.sslContext()).build(), api.server.uri());
        assertThrows(UncheckedIOException.class, () -> mallory.post("/api/v1/campaigns/" + ApiEndpoints.CAMPAIGN + "/start", null));
        assertEquals(Campaign.State.CREATED, api.kit.service.get(ApiEndpoints.CAMPAIGN).state());
    }
}
