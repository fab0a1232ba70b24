package dev.wasmota.routes.oem;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.oem.intake.IntakePipeline;
import dev.wasmota.oem.intake.IntakeReport;
import dev.wasmota.oem.intake.IntakeReportJson;
import dev.wasmota.oem.intake.IntakeResult;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.Topics;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import dev.wasmota.transport.camel.DeadLetterRecorder;
import dev.wasmota.protocol.wire.Submission;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.VerifiedPackage;
import dev.wasmota.oem.pki.OemPki;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;

/**
 * The OEM's intake route logic: a supplier's submission arrives on its own submit topic; the
 * supplier signature must name that supplier, then the full intake runs
 * ({@link IntakePipeline}: checks, vectors, soak, timing, compile, countersign). An accepted
 * package is published to the release store. The supplier gets the intake result on its result
 * topic either way; the exchange property {@value #RELEASE_EVENT} carries the release event when
 * there is one. Each intake is one line for the operator and counted by outcome.
 */
public final class IntakeHandler {
    public static final String RELEASE_EVENT = "otaReleaseEvent";
    public static final String RESULT_FORMAT = "wasmota-intake-result/1";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final IntakePipeline pipeline;
    private final ReleaseStore releases;
    private final OemPki pki;
    private final Topics topics;
    private final Clock clock;
    private final ServiceEvents events;
    private final OemMeters meters;

    public IntakeHandler(IntakePipeline pipeline, ReleaseStore releases, OemPki pki, Topics topics, Clock clock,
                         ServiceEvents events, OemMeters meters) {
        this.pipeline = pipeline;
        this.releases = releases;
        this.pki = pki;
        this.topics = topics;
        this.clock = clock;
        this.events = events;
        this.meters = meters;
    }

    /** Runs the intake of one submission; the body becomes the result JSON for the supplier. */
    public void handle(Exchange ex) throws java.io.IOException {
        String topic = ex.getIn().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class);
        String supplier = topics.submitter(topic);
        byte[] payload = ex.getIn().getBody(byte[].class);
        Submission submission = null;
        try {
            submission = Submission.decode(payload);
            VerifiedPackage v = new PackageVerifier(pki.trustStore(), clock)
                    .verifySupplier(PackageFile.fromBytes(submission.packageFile()));
            if (!v.manifest().supplierId().equals(supplier)) {
                throw new RejectedException(RouteFailure.WRONG_SENDER, "a package of supplier " + v.manifest().supplierId()
                        + " was submitted on supplier " + supplier + "'s topic");
            }
        } catch (RejectedException e) {
            refusedUnread(ex, supplier, payload, submission == null ? payload : submission.packageFile(), e);
            return;
        }
        IntakeResult result = pipeline.integrate(submission.packageFile(), submission.vectors());
        byte[] report = IntakeReportJson.bytes(result.report());
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("format", RESULT_FORMAT);
        answer.put("submittedSha256", Digests.sha256Hex(submission.packageFile()));
        answer.put("accepted", result.accepted());
        if (result.accepted()) {
            Release release = releases.publish(PackageFile.toBytes(result.release()), java.util.Optional.of(report));
            ObjectNode r = releaseJson(release);
            answer.set("release", r);
            ex.setProperty(RELEASE_EVENT, CanonicalJson.bytes(r));
            meters.intake(OemMeters.IntakeOutcome.ACCEPTED);
            events.emit(clock, ServiceEvent.Kind.INTAKE, "intake " + what(supplier, result.report()) + " accepted (release "
                    + release.id() + ")");
        } else {
            IntakeReport.Rejection x = result.report().rejection().orElseThrow();
            meters.intake(OemMeters.IntakeOutcome.REJECTED);
            events.emit(clock, ServiceEvent.Kind.INTAKE, "intake " + what(supplier, result.report()) + " rejected at "
                    + x.check() + ": " + x.reason() + ": " + x.detail());
            answer.put("check", x.check());
            answer.put("reason", x.reason());
            answer.put("exitCode", x.exitCode());
            answer.put("detail", x.detail());
        }
        answer.set("report", IntakeReportJson.tree(result.report()));
        answer(ex, supplier, answer);
    }

    /**
     * A submission refused before the intake ran (malformed, not signed by a supplier this OEM
     * trusts, or signed by another supplier than the topic's): the topic's supplier still gets a
     * result naming the reason and exit code (for the package it submitted, or for the whole
     * message when that is not even a submission), and the message is dead-lettered as well,
     * since nothing in it can be trusted.
     */
    private void refusedUnread(Exchange ex, String supplier, byte[] payload, byte[] submitted, RejectedException e)
            throws java.io.IOException {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("format", RESULT_FORMAT);
        answer.put("submittedSha256", Digests.sha256Hex(submitted));
        answer.put("accepted", false);
        answer.put("check", "submission");
        answer.put("reason", e.reason().name());
        answer.put("exitCode", e.exitCode().code());
        answer.put("detail", e.userMessage());
        meters.intake(OemMeters.IntakeOutcome.REFUSED);
        ex.setProperty(DeadLetterRecorder.ALSO, e);
        ex.setProperty(DeadLetterRecorder.ORIGINAL, payload);
        answer(ex, supplier, answer);
    }

    /** {@code supplier/module version} as the authenticated manifest names them, else the topic's supplier. */
    private static String what(String supplier, IntakeReport report) {
        return report.module().map(m -> m.supplier() + "/" + m.id() + " " + m.version()).orElse("from " + supplier);
    }

    private void answer(Exchange ex, String supplier, ObjectNode answer) throws java.io.IOException {
        ex.getIn().removeHeaders("CamelPahoMqtt5*");
        ex.getIn().setHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, topics.result(supplier));
        ex.getIn().setBody(JSON.writeValueAsBytes(answer));
    }

    static ObjectNode releaseJson(Release release) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("release", release.id().toString());
        r.put("moduleId", release.moduleId());
        r.put("version", release.version());
        r.put("securityVersion", release.securityVersion());
        r.put("supplierId", release.supplierId());
        r.put("packageSha256", release.packageSha256());
        r.put("wasmSha256", release.wasmSha256());
        r.put("publishedAt", release.publishedAt().toString());
        return r;
    }
}
