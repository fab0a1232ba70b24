package dev.wasmota.oem.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.oem.vectors.CaseResult;
import java.io.UncheckedIOException;

/**
 * The integration report as JSON (format {@value #FORMAT}), for people and for the release
 * store: identity, every check, vector results, soak, timing in microseconds and the compiled
 * output. Parts the intake never reached are {@code null}.
 */
public final class IntakeReportJson {
    public static final String FORMAT = "wasmota-intake-report/1";
    /** The report's file name beside a release: {@code <out>.report.json}. */
    public static final String SUFFIX = ".report.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IntakeReportJson() {
    }

    public static byte[] bytes(IntakeReport r) {
        try {
            return JSON.writeValueAsBytes(tree(r));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode tree(IntakeReport r) {
        ObjectNode o = JSON.createObjectNode().put("format", FORMAT).put("time", r.time().toString())
                .put("accepted", r.accepted());
        o.putObject("package").put("sha256", r.packageSha256()).put("bytes", r.packageBytes());
        o.put("releaseSha256", r.releaseSha256().orElse(null));
        r.module().ifPresentOrElse(m -> o.putObject("module").put("id", m.id()).put("version", m.version())
                .put("securityVersion", m.securityVersion()).put("supplier", m.supplier())
                .put("wasmSha256", m.wasmSha256()).put("wasmBytes", m.wasmBytes()).put("capabilities", m.capabilities())
                .put("memoryPages", m.memoryPages()).put("deadlineUs", m.deadlineUs()).put("periodMs", m.periodMs()),
                () -> o.putNull("module"));
        ArrayNode checks = o.putArray("checks");
        for (CheckResult c : r.checks()) {
            checks.addObject().put("name", c.check().label()).put("result", c.status().label())
                    .put("detail", c.detail()).put("ms", round(c.millis()));
        }
        r.rejection().ifPresentOrElse(x -> o.putObject("rejection").put("check", x.check()).put("reason", x.reason())
                .put("exitCode", x.exitCode()).put("detail", x.detail()), () -> o.putNull("rejection"));
        ArrayNode vectors = o.putArray("vectors");
        r.vectors().forEach(c -> vector(vectors.addObject(), c));
        r.soak().ifPresentOrElse(s -> {
            ObjectNode n = o.putObject("soak").put("ticksPlanned", s.ticksPlanned()).put("ticksRun", s.ticksRun())
                    .put("seed", s.seed()).put("canIdsCapped", s.canIdsCapped());
            ArrayNode ids = n.putArray("canIds");
            s.canIds().forEach(id -> ids.add("0x" + Integer.toHexString(id)));
        }, () -> o.putNull("soak"));
        r.timing().ifPresentOrElse(t -> o.putObject("timing").put("measure", "cpu").put("worstUs", us(t.worstNanos()))
                .put("worstCall", t.worstCall()).put("worstWallUs", us(t.worstWallNanos()))
                .put("confirmedWorstUs", t.confirmedWorstNanos().isPresent() ? us(t.confirmedWorstNanos().getAsLong()) : null)
                .put("p50Us", us(t.p50Nanos())).put("p99Us", us(t.p99Nanos())).put("samples", t.samples())
                .put("deadlineUs", t.deadlineUs()).put("marginPercent", t.marginPercent())
                .put("budgetUs", us(t.budgetNanos())).put("coldWorstUs", us(t.coldWorstNanos()))
                .put("coldWorstCall", t.coldWorstCall()), () -> o.putNull("timing"));
        r.compiled().ifPresentOrElse(c -> o.putObject("compiled").put("compiler", c.compiler()).put("sha256", c.sha256())
                .put("compileMs", round(c.compileNanos() / 1e6)).put("reproduced", c.reproduced()),
                () -> o.putNull("compiled"));
        ArrayNode log = o.putArray("moduleLog");
        r.moduleLog().forEach(log::add);
        return o;
    }

    private static void vector(ObjectNode n, CaseResult c) {
        n.put("index", c.index()).put("label", c.label()).put("passed", c.passed()).put("calls", c.calls());
        c.expected().forEach(n.putArray("expected")::add);
        c.actual().forEach(n.putArray("actual")::add);
        n.put("fault", c.fault() == null ? null : c.fault().name()).put("detail", c.detail())
                .put("worstUs", us(c.worstCallNanos()));
    }

    private static double us(long nanos) {
        return round(nanos / 1e3);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
