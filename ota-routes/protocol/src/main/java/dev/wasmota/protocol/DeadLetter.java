package dev.wasmota.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.protocol.wire.Frames;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.json.CanonicalJson;
import java.time.Instant;
import java.util.Arrays;

/**
 * A refused message as published on a dead-letter topic: why it was refused, where it came from,
 * the digest and size of the original payload, and its first {@value #MAX_KEPT_BYTES} bytes for
 * whoever investigates.
 *
 * @param reason the refusal's name, e.g. {@code UNVERIFIED_STATUS} or {@code BAD_SIGNATURE}
 * @param detail the one-line reason
 * @param sourceTopic the topic the message arrived on
 * @param route the route that refused it
 * @param payload the original payload
 * @param at when it was refused
 */
public record DeadLetter(String reason, String detail, String sourceTopic, String route, byte[] payload, Instant at) {
    public static final String KIND = "WOTD";
    public static final String FORMAT = "wasmota-dead-letter/1";
    public static final int MAX_KEPT_BYTES = 64 * 1024;

    public byte[] encode() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("reason", reason);
        o.put("detail", detail == null ? "" : detail);
        o.put("sourceTopic", sourceTopic == null ? "" : sourceTopic);
        o.put("route", route);
        o.put("payloadBytes", payload.length);
        o.put("payloadSha256", Digests.sha256Hex(payload));
        o.put("at", at.toString());
        byte[] kept = payload.length > MAX_KEPT_BYTES ? Arrays.copyOf(payload, MAX_KEPT_BYTES) : payload;
        return Frames.encode(KIND, CanonicalJson.bytes(o), kept);
    }
}
