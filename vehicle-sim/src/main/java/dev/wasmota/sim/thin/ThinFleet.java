package dev.wasmota.sim.thin;

import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.protocol.Topics;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pki.TrustStore;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Many {@link ThinVehicle}s in one process: one plain MQTT connection each, all on a small shared
 * Netty event loop (two threads by default, however many vehicles), each with its own vehicle
 * certificate from the OEM root (all on one Ed25519 key pair: issuing a certificate is cheap,
 * generating keys for every vehicle is not, and the OEM checks the certificate, not the key's
 * uniqueness). For scale measurements of the pipeline only; the full simulated vehicle is
 * {@code SimVehicle}.
 */
public final class ThinFleet implements AutoCloseable {
    private static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
    private static final int CONNECTING_AT_ONCE = 256;

    private final EventLoopGroup group;
    private final List<ThinVehicle> vehicles = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final AtomicInteger committed = new AtomicInteger();

    private ThinFleet(int threads) {
        this.group = new NioEventLoopGroup(threads);
    }

    /**
     * Connects a thin vehicle for each of {@code ids} to the plain listener at {@code brokerUrl}
     * ({@code tcp://host:port}), {@value #CONNECTING_AT_ONCE} at a time; {@code progress} hears
     * how many are up.
     */
    public static ThinFleet connect(String brokerUrl, Topics topics, TrustStore trust, OemPki pki, List<String> ids,
                                    Clock clock, int threads, IntConsumer progress) throws Exception {
        URI url = URI.create(brokerUrl);
        if (!"tcp".equals(url.getScheme())) {
            throw new IllegalArgumentException("thin vehicles connect to a plain tcp:// listener, not " + brokerUrl);
        }
        ThinFleet f = new ThinFleet(threads);
        try {
            KeyPair keys = ed25519();
            Bootstrap b = new Bootstrap().group(f.group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
            for (int from = 0; from < ids.size(); from += CONNECTING_AT_ONCE) {
                List<CompletableFuture<Void>> batch = new ArrayList<>();
                for (String id : ids.subList(from, Math.min(ids.size(), from + CONNECTING_AT_ONCE))) {
                    Credential c = new Credential(keys.getPrivate(), pki.issueClient(ClientKind.VEHICLE, id, keys.getPublic()));
                    ThinVehicle v = new ThinVehicle(id, topics, trust, c, clock, x -> f.committed.incrementAndGet());
                    Channel ch = b.clone().handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel s) {
                            s.pipeline().addLast(new MqttDecoder(MAX_MESSAGE_BYTES), MqttEncoder.INSTANCE, v);
                        }
                    }).connect(url.getHost(), url.getPort()).sync().channel();
                    f.vehicles.add(v);
                    f.channels.add(ch);
                    batch.add(v.ready);
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                progress.accept(f.vehicles.size());
            }
            return f;
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
    }

    private static KeyPair ed25519() {
        return dev.wasmota.signing.pki.Crypto.generateKeyPair(new java.security.SecureRandom());
    }

    /** Vehicles that sent a committed status report so far. */
    public int committed() {
        return committed.get();
    }

    /** When each vehicle reported, on the {@link System#nanoTime} clock (0 if not yet). */
    public long[] committedAtNanos() {
        return vehicles.stream().mapToLong(v -> v.committedAtNanos).toArray();
    }

    /** The refusals vehicles met, one line each (none in a healthy run). */
    public List<String> refusals() {
        return vehicles.stream().filter(v -> v.refusal != null).map(v -> v.vehicleId() + ": " + v.refusal).toList();
    }

    public int size() {
        return vehicles.size();
    }

    @Override
    public void close() {
        for (Channel c : channels) {
            c.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
