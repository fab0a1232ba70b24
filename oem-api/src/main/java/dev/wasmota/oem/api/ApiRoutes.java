package dev.wasmota.oem.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.campaign.CampaignStatusJson;
import dev.wasmota.oem.campaign.CampaignView;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.release.ReleaseFailure;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.audit.AuditEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The management API's resources in Camel's REST DSL, each handled by one function of the request
 * and its {@link Caller}. Every answer is JSON; every refusal a problem document
 * ({@link Problems}), and a refused request changes nothing: changes run in the OEM's own
 * transactions, which a refusal rolls back. Who may change what is settled before a route runs
 * ({@link ApiServer}); each change runs as its caller, so its audit record names them.
 */
final class ApiRoutes extends RouteBuilder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiRoutes.class);
    static final String CALLER_HEADER = "X-Wasmota-Caller";
    static final List<String> ACTIONS = List.of("start", "pause", "resume", "abort", "rollback");
    /** The operator's conclusions of a campaign's shadow runs (issue 19), each with an optional {@code reason}. */
    static final List<String> SHADOW_ACTIONS = List.of("shadow-promote", "shadow-discard");

    private final ApiBackend oem;
    private final Clock clock;
    private final FleetQuery fleet;
    private final AuditQuery audit;
    private final CampaignQuery campaignQuery;
    private final CampaignShadows shadows;
    private final RegulatoryResources regulatory;
    private final byte[] openApi;

    ApiRoutes(ApiBackend oem, Clock clock) {
        this.oem = oem;
        this.clock = clock;
        this.fleet = new FleetQuery(oem.db());
        this.audit = new AuditQuery(oem.db());
        this.campaignQuery = new CampaignQuery(oem.db());
        this.shadows = new CampaignShadows();
        this.regulatory = new RegulatoryResources(oem, clock);
        this.openApi = openApiDocument();
    }

    /** The OpenAPI document the API serves, as committed in docs/api/openapi.json. */
    static byte[] openApiDocument() {
        try (InputStream in = ApiRoutes.class.getResourceAsStream("openapi.json")) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the OpenAPI document is missing from the build", e);
        }
    }

    /** A resource's handler: the answer to a request made by a caller. */
    @FunctionalInterface
    interface Handler extends BiFunction<Exchange, Caller, Reply> {
    }

    /** An answer: HTTP status and JSON body, or a body of another type ({@code raw}, {@code type}). */
    record Reply(int status, JsonNode body, byte[] raw, String type) {
        Reply(int status, JsonNode body) {
            this(status, body, null, "application/json");
        }

        static Reply ok(JsonNode body) {
            return new Reply(200, body);
        }

        static Reply svg(String document) {
            return new Reply(200, null, document.getBytes(java.nio.charset.StandardCharsets.UTF_8), "image/svg+xml");
        }
    }

    @Override
    public void configure() {
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off).skipBindingOnErrorCode(true);
        rest(ApiServer.BASE)
                .get("/openapi.json").to(route("openapi", (ex, who) -> null))
                .get("/releases").to(route("releases", this::releases))
                .get("/releases/{module}/{version}").to(route("release", this::release))
                .get("/fleet").to(route("fleet", (ex, who) -> Reply.ok(fleet.summary(clock.instant()))))
                .get("/vehicles").to(route("vehicles", (ex, who) -> Reply.ok(fleet.page(page(ex), FleetQuery.Filter.parse(
                        q(ex, "hardware"), q(ex, "state"), q(ex, "version"))))))
                .get("/vehicles/{id}").to(route("vehicle", (ex, who) -> Reply.ok(fleet.detail(q(ex, "id").toString())
                        .orElseThrow(() -> new RejectedException(dev.wasmota.oem.campaign.CampaignFailure.UNKNOWN_VEHICLE,
                                "vehicle " + PageRequest.clip(q(ex, "id").toString()) + " is not registered")))))
                .get("/campaigns").to(route("campaigns", this::campaigns))
                .post("/campaigns").to(route("campaign-create", this::create))
                .get("/campaigns/{id}").to(route("campaign", (ex, who) -> Reply.ok(status(who, id(ex)))))
                .get("/campaigns/{id}/vehicles").to(route("campaign-vehicles", (ex, who) -> Reply.ok(campaignQuery.vehicles(
                        oem.campaignsAs().apply(who.actor()), id(ex), page(ex), CampaignQuery.status(q(ex, "status"))))))
                .get("/audit").to(route("audit", (ex, who) -> Reply.ok(audit.page(page(ex), AuditQuery.event(q(ex, "event"))))))
                .get("/whoami").to(route("whoami", (ex, who) -> Reply.ok(JsonNodeFactory.instance.objectNode()
                        .put("actor", who.actor()).put("role", who.mayChange() ? "operator" : "viewer"))))
                .get("/refusals").to(route("refusals", (ex, who) -> Reply.ok(audit.refusals())))
                .get("/campaigns/{id}/timeline").to(route("campaign-timeline",
                        (ex, who) -> Reply.ok(campaignQuery.timeline(id(ex)))))
                .get("/campaigns/{id}/charts/committed-over-time.svg").to(route("chart-committed", (ex, who) -> Reply.svg(
                        campaignQuery.committedOverTimeSvg(id(ex)))))
                .get("/campaigns/{id}/charts/time-to-commit.svg").to(route("chart-time-to-commit", (ex, who) -> Reply.svg(
                        campaignQuery.timeToCommitSvg(id(ex)))))
                .get("/dead-letters").to(route("dead-letters", (ex, who) -> Reply.ok(audit.page(page(ex),
                        Optional.of(AuditEvent.MESSAGE_DEAD_LETTERED)))));
        regulatory();
        for (String action : ACTIONS) {
            rest(ApiServer.BASE).post("/campaigns/{id}/" + action).to(route("campaign-" + action, (ex, who) -> act(ex, who, action)));
        }
        for (String action : SHADOW_ACTIONS) {
            rest(ApiServer.BASE).post("/campaigns/{id}/" + action).to(route("campaign-" + action,
                    (ex, who) -> Reply.ok(shadows.decide(oem.campaignsAs().apply(who.actor()), id(ex), action, body(ex),
                            () -> status(who, id(ex))))));
        }
    }

    /** Issue 17's statements ({@link RegulatoryResources}): reads for a viewer, each PUT or POST for an operator. */
    private void regulatory() {
        rest(ApiServer.BASE)
                .get("/rxswin").to(route("rxswin-list", (ex, who) -> Reply.ok(regulatory.list(who, q(ex, "hardware"), page(ex)))))
                .post("/rxswin").to(route("rxswin-define", (ex, who) -> regulatory.define(who, body(ex))))
                .get("/releases/{module}/{version}/rxswin").to(route("release-rxswin", (ex, who) -> Reply.ok(
                        regulatory.change(who, q(ex, "module").toString(), q(ex, "version").toString()))))
                .put("/releases/{module}/{version}/rxswin").to(route("release-rxswin-state", (ex, who) -> Reply.ok(
                        regulatory.stateChange(who, q(ex, "module").toString(), q(ex, "version").toString(), body(ex)))))
                .get("/releases/{module}/{version}/record").to(route("release-record", (ex, who) -> Reply.ok(
                        regulatory.record(who, q(ex, "module").toString(), q(ex, "version").toString()))))
                .put("/releases/{module}/{version}/record").to(route("release-record-state", (ex, who) -> Reply.ok(
                        regulatory.stateRecord(who, q(ex, "module").toString(), q(ex, "version").toString(), body(ex)))))
                .get("/vehicles/{id}/configuration").to(route("vehicle-configuration", (ex, who) -> Reply.ok(
                        regulatory.configuration(who, id(ex)))))
                .get("/campaigns/{id}/notice").to(route("campaign-notice", (ex, who) -> Reply.ok(regulatory.notice(who, id(ex)))))
                .put("/campaigns/{id}/notice").to(route("campaign-notice-state", (ex, who) -> Reply.ok(
                        regulatory.stateNotice(who, id(ex), body(ex)))));
    }

    private String route(String name, Handler h) {
        String uri = "direct:" + name;
        from(uri).routeId("api-" + name).process(ex -> handle(ex, name, h));
        return uri;
    }

    private void handle(Exchange ex, String name, Handler h) {
        String path = String.valueOf(ex.getIn().getHeader(Exchange.HTTP_PATH, String.class));
        Reply reply;
        byte[] body;
        String type = "application/json";
        try {
            if (name.equals("openapi")) {
                reply = new Reply(200, null);
                body = openApi;
            } else {
                Caller who = Caller.parse(ex.getIn().getHeader(CALLER_HEADER, String.class));
                reply = h.apply(ex, who);
                body = reply.raw() != null ? reply.raw() : CampaignRequest.JSON.writeValueAsBytes(reply.body());
                type = reply.type();
            }
        } catch (RejectedException e) {
            reply = new Reply(Problems.status(e.reason()), Problems.of(e, path));
            body = json(reply.body());
            type = Problems.MEDIA_TYPE;
        } catch (Exception e) {
            LOG.error("management API: {} failed", name, e);
            ObjectNode p = Problems.of(new RejectedException(InternalFailure.INTERNAL, "internal error in "
                    + name + " (" + e.getClass().getSimpleName() + ")"), path);
            reply = new Reply(500, p);
            body = json(p);
            type = Problems.MEDIA_TYPE;
        }
        ex.getMessage().removeHeaders("*");
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
        ex.getMessage().setHeader("Cache-Control", "no-store");
        ex.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        ex.getMessage().setBody(body);
    }

    private static byte[] json(JsonNode n) {
        try {
            return CampaignRequest.JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reply releases(Exchange ex, Caller who) {
        PageRequest page = page(ex);
        List<Release> all = oem.releases().list().stream().sorted(Comparator.comparing(r -> r.id().toString())).toList();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("items");
        String last = null;
        boolean more = false;
        for (Release r : all) {
            if (page.after().isPresent() && r.id().toString().compareTo(page.after().get()) <= 0) {
                continue;
            }
            if (items.size() == page.limit()) {
                more = true;
                break;
            }
            items.add(release(r));
            last = r.id().toString();
        }
        o.put("next", more ? PageRequest.cursor(last) : null);
        return Reply.ok(o);
    }

    private Reply release(Exchange ex, Caller who) {
        String module = q(ex, "module").toString();
        String version = q(ex, "version").toString();
        Release r = oem.releases().find(module, version).orElseThrow(() -> new RejectedException(
                ReleaseFailure.UNKNOWN_RELEASE, "no release " + PageRequest.clip(module + "@" + version) + " is published"));
        ObjectNode o = release(r);
        Optional<byte[]> report = oem.releases().report(r);
        try {
            o.set("report", report.isPresent() ? CampaignRequest.JSON.readTree(report.get()) : null);
        } catch (IOException e) {
            o.putNull("report");
        }
        Optional<byte[]> sbom = dev.wasmota.signing.pkg.PackageFile.fromBytes(oem.releases().packageBytes(r)).sbom();
        try {
            o.set("sbom", sbom.isPresent() ? CampaignRequest.JSON.readTree(sbom.get()) : null);
        } catch (IOException e) {
            o.putNull("sbom");
        }
        return Reply.ok(o);
    }

    private static ObjectNode release(Release r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", r.id().toString());
        o.put("module", r.moduleId());
        o.put("version", r.version());
        o.put("securityVersion", r.securityVersion());
        o.put("supplier", r.supplierId());
        o.put("wasmSha256", r.wasmSha256());
        o.put("packageSha256", r.packageSha256());
        o.put("hasReport", r.report());
        o.put("publishedAt", r.publishedAt().toString());
        return o;
    }

    private Reply campaigns(Exchange ex, Caller who) {
        PageRequest page = page(ex);
        List<Campaign> all = oem.campaignsAs().apply(who.actor()).list().stream()
                .sorted(Comparator.comparing(Campaign::id)).toList();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("items");
        String last = null;
        boolean more = false;
        for (Campaign k : all) {
            if (page.after().isPresent() && k.id().compareTo(page.after().get()) <= 0) {
                continue;
            }
            if (items.size() == page.limit()) {
                more = true;
                break;
            }
            ObjectNode c = items.addObject();
            c.put("id", k.id());
            c.put("release", k.release().toString());
            c.put("state", k.state().name());
            c.put("currentWave", k.currentWave());
            c.put("waveCount", k.waveCount());
            c.put("createdAt", k.createdAt().toString());
            c.put("updatedAt", k.updatedAt().toString());
            last = k.id();
        }
        o.put("next", more ? PageRequest.cursor(last) : null);
        return Reply.ok(o);
    }

    private Reply create(Exchange ex, Caller who) {
        CampaignService service = oem.campaignsAs().apply(who.actor());
        Campaign k;
        try {
            byte[] b = body(ex);
            k = service.create(CampaignRequest.parse(b), CampaignRequest.rollout(b));
        } catch (RejectedException e) {
            if (e.reason() == ReleaseFailure.UNKNOWN_RELEASE) {
                throw new FieldRejected(e.reason(), "release", e.getMessage());
            }
            throw e;
        }
        return new Reply(201, status(who, k.id()));
    }

    private Reply act(Exchange ex, Caller who, String action) {
        byte[] body = body(ex);
        if (body.length > 0) {
            JsonNode o = CampaignRequest.object(body);
            if (o.fieldNames().hasNext()) {
                String f = o.fieldNames().next();
                throw new FieldRejected(ApiFailure.UNKNOWN_FIELD, f, "field '" + PageRequest.clip(f) + "' is not one of []: "
                        + action + " takes no fields");
            }
        }
        CampaignService service = oem.campaignsAs().apply(who.actor());
        String id = id(ex);
        switch (action) {
            case "start" -> service.start(id);
            case "pause" -> service.pause(id);
            case "resume" -> service.resume(id);
            case "abort" -> service.abort(id);
            case "rollback" -> service.rollback(id);
            default -> throw new IllegalStateException(action);
        }
        return Reply.ok(status(who, id));
    }

    private ObjectNode status(Caller who, String id) {
        return shadows.add(CampaignStatusJson.tree(CampaignView.statusCounted(oem.db(), id), clock.instant()),
                oem.campaignsAs().apply(who.actor()), id);
    }

    private static byte[] body(Exchange ex) {
        byte[] b = ex.getIn().getBody(byte[].class);
        if (b != null && b.length > 0) {
            String type = ex.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
            if (type == null || !type.toLowerCase().startsWith("application/json")) {
                throw new FieldRejected(ApiFailure.UNSUPPORTED_MEDIA_TYPE, "Content-Type", "the body must be application/json, not "
                        + (type == null ? "untyped" : PageRequest.clip(type)));
            }
        }
        return b == null ? new byte[0] : b;
    }

    private static String id(Exchange ex) {
        return q(ex, "id").toString();
    }

    private static Object q(Exchange ex, String name) {
        Object v = ex.getIn().getHeader(name);
        return v instanceof List<?> l ? (l.isEmpty() ? null : l.get(l.size() - 1)) : v;
    }

    private static PageRequest page(Exchange ex) {
        return PageRequest.parse(q(ex, "cursor"), q(ex, "limit"));
    }

    /** The reason of an unexpected failure: a bug, exit code 1. */
    enum InternalFailure implements dev.wasmota.contract.error.Reason {
        INTERNAL;

        @Override
        public dev.wasmota.contract.error.ExitCode exitCode() {
            return dev.wasmota.contract.error.ExitCode.INTERNAL;
        }
    }
}
