package dev.wasmota.protocol.wire;

import static dev.wasmota.protocol.wire.StatusReportCodecTest.assertMalformed;
import static dev.wasmota.protocol.wire.StatusReportCodecTest.report;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wasmota.contract.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The status report's optional continuation proof (auditPrevSeq, auditPrevHash): additive, both or neither. */
class StatusReportContinuationTest {
    static final String PREV = "c".repeat(64);

    @Test
    void aReportWithoutAProofKeepsItsOldBytes() {
        String text = new String(StatusReportCodec.canonicalBytes(report()), StandardCharsets.UTF_8);
        assertFalse(text.contains("auditPrev"), text);
        assertEquals(0, StatusReportCodec.parse(text.getBytes(StandardCharsets.UTF_8)).auditPrevSeq());
    }

    @Test
    void roundTripsAProof() {
        StatusReport r = report().withAuditPrev(5, PREV);
        byte[] bytes = StatusReportCodec.canonicalBytes(r);
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\"auditPrevHash\":\"" + PREV + "\",\"auditPrevSeq\":5"));
        StatusReport back = StatusReportCodec.parse(bytes);
        assertEquals(r, back);
        assertArrayEquals(bytes, StatusReportCodec.canonicalBytes(back));
    }

    private static ObjectNode withProof() throws IOException {
        return (ObjectNode) new ObjectMapper().readTree(StatusReportCodec.canonicalBytes(report().withAuditPrev(5, PREV)));
    }

    @Test
    void refusesHalfAProofOrAMalformedOne() throws IOException {
        ObjectNode noHash = withProof();
        noHash.remove("auditPrevHash");
        assertMalformed(() -> StatusReportCodec.parse(CanonicalJson.bytes(noHash)));
        ObjectNode noSeq = withProof();
        noSeq.remove("auditPrevSeq");
        assertMalformed(() -> StatusReportCodec.parse(CanonicalJson.bytes(noSeq)));
        ObjectNode zero = withProof();
        zero.set("auditPrevSeq", IntNode.valueOf(0));
        assertMalformed(() -> StatusReportCodec.parse(CanonicalJson.bytes(zero)));
        ObjectNode ahead = withProof();
        ahead.set("auditPrevSeq", IntNode.valueOf(8));
        assertMalformed(() -> StatusReportCodec.parse(CanonicalJson.bytes(ahead)));
        ObjectNode badHash = withProof();
        badHash.set("auditPrevHash", TextNode.valueOf("C".repeat(64)));
        assertMalformed(() -> StatusReportCodec.parse(CanonicalJson.bytes(badHash)));
        ObjectNode text = withProof();
        text.set("auditPrevSeq", TextNode.valueOf("5"));
        assertMalformed(() -> StatusReportCodec.parse(CanonicalJson.bytes(text)));
    }
}
