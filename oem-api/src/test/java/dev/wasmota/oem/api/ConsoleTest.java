package dev.wasmota.oem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.campaign.Campaign;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's listener: a sign-in link sets an HttpOnly, SameSite=Strict session cookie; the
 * page is served under a strict Content-Security-Policy and loads nothing from elsewhere; the API
 * answers a session as its operator or viewer, and a change without the console's header, without
 * a session or from a viewer is refused and changes nothing.
 */
class ConsoleTest {
    @TempDir
    static Path dir;
    static ApiKit api;
    static URI console;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        api = new ApiKit(dir);
        api.kit.service.create(api.kit.spec(api.kit.v2, api.kit.vehicles(2), "100%").id("c1").build());
        api.kit.service.start("c1");
        console = api.server.openConsole("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aSignInLinkGivesAStrictSessionCookieAndThePageAStrictPolicy() throws Exception {
        HttpResponse<String> signIn = get(api.server.consoleLink("operator/alice"), null);
        assertEquals(303, signIn.statusCode());
        String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError(signIn.headers().map().toString()));
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        HttpResponse<String> page = get(console.resolve(Console.PATH), null);
        assertEquals(200, page.statusCode());
        assertEquals(Console.CSP, page.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(page.body().contains("<script src=\"console.js\""));
    }

    @Test
    void thePageLoadsNothingFromElsewhere() throws IOException {
        Pattern external = Pattern.compile("(src|href|url)\\s*[=(]\\s*['\"]?(https?:)?//", Pattern.CASE_INSENSITIVE);
        for (String f : List.of("index.html", "console.js", "console.css")) {
            try (InputStream in = Console.class.getResourceAsStream("console/" + f)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertFalse(external.matcher(text).find(), f + " refers to another origin");
                assertFalse(text.contains("innerHTML") || text.contains("eval("), f + " writes markup from data");
            }
        }
    }

    @Test
    void aSessionActsAsItsOperatorAndNeedsTheConsoleHeaderToChange() throws Exception {
        String cookie = session("operator/carol");
        assertTrue(get(console.resolve("/api/v1/whoami"), cookie).body().contains("\"role\":\"operator\""));
        HttpResponse<String> noHeader = post("/api/v1/campaigns/c1/pause", cookie, false);
        assertEquals(403, noHeader.statusCode(), noHeader.body());
        assertTrue(noHeader.body().contains("\"reason\":\"FORBIDDEN\""));
        assertEquals(Campaign.State.RUNNING, api.kit.service.get("c1").state());
        HttpResponse<String> paused = post("/api/v1/campaigns/c1/pause", cookie, true);
        assertEquals(200, paused.statusCode(), paused.body());
        assertEquals(Campaign.State.PAUSED, api.kit.service.get("c1").state());
        assertEquals("operator/carol", api.kit.audit.records(dev.wasmota.audit.AuditEvent.CAMPAIGN_PAUSED).get(0).actor());
        assertEquals(200, post("/api/v1/campaigns/c1/resume", cookie, true).statusCode());
    }

    @Test
    void anOperatorSessionReachesTheShadowActionsWhichTheRulesRefuseForACampaignWithoutShadows() throws Exception {
        try (InputStream in = Console.class.getResourceAsStream("console/index.html")) {
            String page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(page.contains("data-action=\"shadow-promote\"") && page.contains("data-action=\"shadow-discard\""));
        }
        String cookie = session("operator/carol");
        HttpResponse<String> r = post("/api/v1/campaigns/c1/shadow-promote", cookie, true);
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"reason\":\"NO_SHADOW_CAMPAIGN\""), r.body());
    }

    @Test
    void aViewerSessionOrNoSessionChangesNothing() throws Exception {
        String viewer = session("viewer/dave");
        HttpResponse<String> r = post("/api/v1/campaigns/c1/abort", viewer, true);
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("\"reason\":\"FORBIDDEN\""), r.body());
        HttpResponse<String> none = post("/api/v1/campaigns/c1/abort", null, true);
        assertEquals(403, none.statusCode());
        assertTrue(none.body().contains("\"reason\":\"NOT_AN_API_CLIENT\""), none.body());
        assertEquals(403, get(console.resolve("/api/v1/fleet"), "wasmota-console=forged").statusCode());
        assertEquals(404, get(console.resolve(Console.PATH + "?token=forged"), null).statusCode());
        assertTrue(api.kit.service.get("c1").state().active());
    }

    private static String session(String who) throws Exception {
        String cookie = get(api.server.consoleLink(who), null).headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static HttpResponse<String> get(URI uri, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String cookie, boolean consoleHeader) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(console.resolve(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (consoleHeader) {
            b.header(Console.CSRF_HEADER, "1");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
