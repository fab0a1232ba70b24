package dev.wasmota.sim.thin;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.release.ChunkMessage;
import dev.wasmota.protocol.release.ReleaseIndex;
import dev.wasmota.protocol.release.ReleaseInstruction;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pki.TrustStore;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A simulated vehicle that speaks the real protocol without an ECU host: one MQTT 5 connection
 * (Netty, on an event loop shared by thousands), its update topic, the release instruction, the
 * signed index and the chunks verified as a vehicle does, the whole package checked against the
 * signed instruction's digest, and a status report signed with its own certificate. It runs no
 * module and keeps nothing on disk: what it measures is the pipeline's cost per vehicle, not the
 * ECU's. Every step runs on the connection's event loop, so one vehicle's messages are handled in
 * order.
 */
final class ThinVehicle extends SimpleChannelInboundHandler<MqttMessage> {
    private final String vehicleId;
    private final Topics topics;
    private final TrustStore trust;
    private final Credential credential;
    private final Clock clock;
    private final Consumer<ThinVehicle> committed;
    /** Parked mode: a persistent session (clean start only the first time) the broker keeps while it is offline. */
    private final boolean persistent;
    /** How long the broker keeps the parked vehicle's session while it is offline, in seconds ({@link #NEVER}: for ever). */
    private final long sessionExpirySeconds;
    /** Completes once the broker took its connection (and its subscription, the first time); a new one each connection. */
    volatile CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Completes once the broker acknowledged its status report: it may go offline. */
    final CompletableFuture<Void> reported = new CompletableFuture<>();
    private boolean registered;
    private int statusPacketId = -1;
    /** The signed report sent, kept until the broker acknowledged it: sent again on the next connection. */
    private byte[] unacknowledged;
    volatile long lastHeardNanos;
    private ChannelHandlerContext ctx;
    private int nextId = 1;
    /** The transfer in progress: its instruction, its index once verified, and the chunks kept in memory. */
    private Instruction instruction;
    private ReleaseIndex index;
    private byte[] assembled;
    private BitSet have;
    volatile long committedAtNanos;
    /** When its first instruction arrived, on the {@link System#nanoTime} clock (0 if none yet). */
    volatile long instructedAtNanos;
    volatile String refusal;

    ThinVehicle(String vehicleId, Topics topics, TrustStore trust, Credential credential, Clock clock, Consumer<ThinVehicle> committed) {
        this(vehicleId, topics, trust, credential, clock, committed, 0);
    }

    /** A parked vehicle when {@code sessionExpirySeconds} is above 0 (at most {@link #NEVER}). */
    ThinVehicle(String vehicleId, Topics topics, TrustStore trust, Credential credential, Clock clock, Consumer<ThinVehicle> committed,
                long sessionExpirySeconds) {
        if (sessionExpirySeconds < 0 || sessionExpirySeconds > NEVER) {
            throw new IllegalArgumentException("a session expiry is 0.." + NEVER + " s, not " + sessionExpirySeconds);
        }
        this.persistent = sessionExpirySeconds > 0;
        this.sessionExpirySeconds = sessionExpirySeconds;
        this.vehicleId = vehicleId;
        this.topics = topics;
        this.trust = trust;
        this.credential = credential;
        this.clock = clock;
        this.committed = committed;
    }

    String vehicleId() {
        return vehicleId;
    }

    /** A parked vehicle's handler serves its connections one after another. */
    @Override
    public boolean isSharable() {
        return persistent;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastHeardNanos = System.nanoTime();
        MqttMessageBuilders.ConnectBuilder b = MqttMessageBuilders.connect().clientId("vehicle-" + vehicleId)
                .protocolVersion(MqttVersion.MQTT_5).cleanSession(!persistent || !registered).keepAlive(300);
        if (persistent) {
            io.netty.handler.codec.mqtt.MqttProperties p = new io.netty.handler.codec.mqtt.MqttProperties();
            p.add(new io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty(
                    io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), (int) sessionExpirySeconds));
            b.properties(p);
        }
        ctx.writeAndFlush(b.build());
    }

    /** How long the broker keeps a parked vehicle's session (and what is queued for it) while it is offline, by default: the vehicles' own. */
    static final long SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;
    /** The session expiry that means "never" [MQTT-3.1.2-11.2]: a broker then keeps no expiry for the session. */
    static final long NEVER = 0xFFFF_FFFFL;

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready.completeExceptionally(new IllegalStateException("vehicle " + vehicleId + "'s connection closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ready.completeExceptionally(cause);
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
        MqttMessageType type = m.fixedHeader().messageType();
        lastHeardNanos = System.nanoTime();
        if (type == MqttMessageType.CONNACK) {
            MqttConnAckMessage ack = (MqttConnAckMessage) m;
            MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
            if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                ready.completeExceptionally(new IllegalStateException("vehicle " + vehicleId + " refused by the broker: " + code));
                return;
            }
            if (registered && ack.variableHeader().isSessionPresent()) {
                ready.complete(null); // its subscriptions and what was queued for it are still there
                if (unacknowledged != null) {
                    statusPacketId = publish(topics.status(vehicleId), unacknowledged);
                }
                return;
            }
            subscribe(List.of(topics.update(vehicleId)));
        } else if (type == MqttMessageType.SUBACK) {
            registered = true;
            ready.complete(null);
        } else if (type == MqttMessageType.PUBACK) {
            if (((io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader) m.variableHeader()).messageId() == statusPacketId) {
                unacknowledged = null;
                reported.complete(null);
            }
        } else if (type == MqttMessageType.PUBLISH) {
            MqttPublishMessage p = (MqttPublishMessage) m;
            if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
            }
            try {
                received(ByteBufUtil.getBytes(p.payload()));
            } catch (RejectedException e) {
                refusal = e.reason().name() + ": " + e.userMessage();
            }
        }
    }

    private void received(byte[] payload) {
        if (payload.length == 0) {
            return;
        }
        if (ReleaseInstruction.isReleaseInstruction(payload)) {
            ReleaseInstruction r = ReleaseInstruction.decode(payload);
            Instruction i = opened(r.instruction(), r.packageSha256());
            if (instruction != null && instruction.instructionId().equals(i.instructionId())) {
                return;
            }
            instruction = i;
            index = null;
            instructed();
            subscribe(List.of(topics.releaseIndex(r.packageSha256())));
        } else if (ChunkMessage.isChunk(payload)) {
            chunk(ChunkMessage.decode(payload, ReleaseIndex.MAX_CHUNK_BYTES));
        } else if (payload.length >= 4 && payload[0] == 'W' && payload[1] == 'O' && payload[2] == 'T' && payload[3] == 'X') {
            ReleaseIndex x = ReleaseIndex.open(payload, trust, clock);
            if (instruction == null || index != null || !x.packageSha256().equals(instruction.packageSha256())) {
                return;
            }
            index = x;
            assembled = new byte[Math.toIntExact(x.length())];
            have = new BitSet(x.chunkCount());
            unsubscribe(List.of(topics.releaseIndex(x.packageSha256())));
            java.util.ArrayList<String> chunks = new java.util.ArrayList<>();
            for (int n = 0; n < x.chunkCount(); n++) {
                chunks.add(topics.releaseChunk(x.packageSha256(), n));
            }
            subscribe(chunks);
        } else if (payload.length >= 4 && payload[0] == 'W' && payload[1] == 'O' && payload[2] == 'T' && payload[3] == 'U') {
            UpdateMessage u = UpdateMessage.decode(payload);
            Instruction i = opened(u.instruction(), Digests.sha256Hex(u.packageFile()));
            instruction = i;
            instructed();
            report(u.packageFile());
        }
    }

    private void instructed() {
        if (instructedAtNanos == 0) {
            instructedAtNanos = System.nanoTime();
        }
    }

    private void chunk(ChunkMessage c) {
        if (index == null || !c.packageSha256().equals(index.packageSha256()) || have.get(c.index())) {
            return;
        }
        index.verifyChunk(c.index(), c.bytes());
        System.arraycopy(c.bytes(), 0, assembled, c.index() * index.chunkBytes(), c.bytes().length);
        have.set(c.index());
        if (have.cardinality() == index.chunkCount()) {
            if (!Digests.sha256Hex(assembled).equals(instruction.packageSha256())) {
                throw new RejectedException(dev.wasmota.protocol.release.TransferFailure.PACKAGE_MISMATCH,
                        "release assembled by " + vehicleId + " does not hash to its digest");
            }
            List<String> chunks = new java.util.ArrayList<>();
            for (int n = 0; n < index.chunkCount(); n++) {
                chunks.add(topics.releaseChunk(index.packageSha256(), n));
            }
            unsubscribe(chunks);
            byte[] pkg = assembled;
            index = null;
            assembled = null;
            report(pkg);
        }
    }

    private Instruction opened(byte[] signed, String packageSha256) {
        Instruction i = SignedInstruction.open(signed, trust, clock);
        SignedInstruction.check(i, vehicleId, packageSha256, clock.instant(), 0);
        return i;
    }

    /** Reports the package, already checked against the signed instruction's digest, as committed (a thin vehicle installs nothing). */
    private void report(byte[] packageFile) {
        StatusReport r = new StatusReport(vehicleId, instruction.campaignId(), instruction.instructionId(), instruction.nonce(),
                StatusReport.Result.COMMITTED, "", "thin vehicle: package received and checked, not installed",
                instruction.moduleId(), "", instruction.packageSha256(), 0, "0".repeat(64),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        byte[] signed = SignedStatus.sign(r, credential);
        unacknowledged = persistent ? signed : null;
        statusPacketId = publish(topics.status(vehicleId), signed);
        committedAtNanos = System.nanoTime();
        committed.accept(this);
    }

    private void subscribe(List<String> filters) {
        MqttMessageBuilders.SubscribeBuilder b = MqttMessageBuilders.subscribe().messageId(packetId());
        filters.forEach(f -> b.addSubscription(MqttQoS.AT_LEAST_ONCE, f));
        ctx.writeAndFlush(b.build());
    }

    private void unsubscribe(List<String> filters) {
        MqttMessageBuilders.UnsubscribeBuilder b = MqttMessageBuilders.unsubscribe().messageId(packetId());
        filters.forEach(b::addTopicFilter);
        ctx.writeAndFlush(b.build());
    }

    private int publish(String topic, byte[] payload) {
        int id = packetId();
        ctx.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).retained(false)
                .messageId(id).payload(Unpooled.wrappedBuffer(payload)).build());
        return id;
    }

    private int packetId() {
        int id = nextId;
        nextId = nextId == 65535 ? 1 : nextId + 1;
        return id;
    }
}
