package dev.wasmota.oem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.ClientKind;
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
    void aViewerReadsEveryResource() {
        for (String[] e : ApiEndpoints.READS) {
            assertEquals(200, api.viewer.get(e[1]).status(), e[0]);
        }
    }

    @Test
    void aViewerChangesNothingAtAnyEndpoint() {
        long records = api.kit.audit.size();
        for (String[] e : ApiEndpoints.CHANGES) {
            String body = e[1].endsWith("/campaigns") ? "{\"release\":\"healthy@2.0.0\",\"hardware\":\"ecu-a\",\"waves\":\"100%\"}" : null;
            ApiKit.Reply r = api.viewer.post(e[1], body);
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
            assertEquals("NOT_AN_API_CLIENT", api.worker.post(e[1], null).reason(), e[0]);
        }
        assertEquals(Campaign.State.CREATED, api.kit.service.get(ApiEndpoints.CAMPAIGN).state());
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
