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
    /** The session expiry that means "never" (see {@link #park(String, Topics, TrustStore, OemPki, List, Clock, int, int, long, IntConsumer)}). */
    public static final long NEVER_EXPIRES = ThinVehicle.NEVER;
    /** The parked vehicles' session expiry by default: the vehicles' own ({@code ota.mqtt.sessionExpirySeconds}). */
    public static final long DEFAULT_SESSION_EXPIRY_SECONDS = ThinVehicle.SESSION_EXPIRY_SECONDS;

    private final EventLoopGroup group;
    private final List<ThinVehicle> vehicles = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final AtomicInteger committed = new AtomicInteger();
    private URI url;
    private volatile boolean stopRolling;
    private final AtomicInteger onlineNow = new AtomicInteger();
    private final AtomicInteger mostOnline = new AtomicInteger();

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

    /**
     * Parked vehicles (see {@link #roll}): each of {@code ids} connects once with a persistent
     * session ({@value ThinVehicle#SESSION_EXPIRY_SECONDS} s session expiry), subscribes to its
     * update topic and goes offline again, at most {@code online} at a time; the broker keeps its
     * session and queues what is sent to it meanwhile.
     */
    public static ThinFleet park(String brokerUrl, Topics topics, TrustStore trust, OemPki pki, List<String> ids,
                                 Clock clock, int threads, int online, IntConsumer progress) throws Exception {
        return park(brokerUrl, topics, trust, pki, ids, clock, threads, online, ThinVehicle.SESSION_EXPIRY_SECONDS, progress);
    }

    /**
     * {@link #park} with each session kept {@code sessionExpirySeconds} by the broker while its
     * vehicle is offline ({@link #NEVER_EXPIRES}: for ever). Mosquitto 2.0 keeps the sessions that
     * expire in one list sorted by expiry and inserts each disconnecting client by walking it, so at
     * 100,000 parked vehicles every disconnect costs a walk over them all; a session that never
     * expires (with no {@code persistent_client_expiration} in the broker's configuration) is kept
     * out of that list.
     */
    public static ThinFleet park(String brokerUrl, Topics topics, TrustStore trust, OemPki pki, List<String> ids,
                                 Clock clock, int threads, int online, long sessionExpirySeconds, IntConsumer progress) throws Exception {
        URI url = URI.create(brokerUrl);
        if (!"tcp".equals(url.getScheme())) {
            throw new IllegalArgumentException("thin vehicles connect to a plain tcp:// listener, not " + brokerUrl);
        }
        ThinFleet f = new ThinFleet(threads);
        try {
            f.url = url;
            KeyPair keys = ed25519();
            for (String id : ids) {
                Credential c = new Credential(keys.getPrivate(), pki.issueClient(ClientKind.VEHICLE, id, keys.getPublic()));
                f.vehicles.add(new ThinVehicle(id, topics, trust, c, clock, x -> f.committed.incrementAndGet(), sessionExpirySeconds));
            }
            int step = Math.min(online, CONNECTING_AT_ONCE);
            for (int from = 0; from < ids.size(); from += step) {
                List<CompletableFuture<Void>> batch = new ArrayList<>();
                List<Channel> open = new ArrayList<>();
                for (ThinVehicle v : f.vehicles.subList(from, Math.min(ids.size(), from + step))) {
                    open.add(f.bootstrap(v).connect(url.getHost(), url.getPort()).sync().channel());
                    batch.add(v.ready);
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                for (Channel ch : open) {
                    ch.writeAndFlush(io.netty.handler.codec.mqtt.MqttMessage.DISCONNECT);
                    ch.close().sync();
                }
                progress.accept(Math.min(ids.size(), from + step));
            }
            return f;
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
    }

    /**
     * Brings parked vehicles online in a rolling way, at most {@code online} connected at once: a
     * vehicle connects (its session resumed), takes what was queued for it (the release
     * instruction), fetches the retained release, reports, and goes offline once the broker
     * acknowledged its report; one that heard nothing for {@code idle} goes offline and comes
     * back later. Returns once every vehicle reported; refused past {@code deadlineNanos}.
     */
    public void roll(int online, java.time.Duration idle, long deadlineNanos) throws InterruptedException {
        java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(online);
        // connections being set up at once: a burst of thousands overflows the broker's listen backlog
        java.util.concurrent.Semaphore connecting = new java.util.concurrent.Semaphore(CONNECTING_AT_ONCE);
        java.util.concurrent.ConcurrentLinkedQueue<ThinVehicle> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>(vehicles);
        long idleNanos = idle.toNanos();
        AtomicInteger acked = new AtomicInteger();
        vehicles.forEach(v -> v.reported.thenRun(acked::incrementAndGet));
        stopRolling = false;
        while (acked.get() < vehicles.size() && !stopRolling) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException(acked.get() + " of " + vehicles.size() + " parked vehicles reported in time");
            }
            ThinVehicle v = waiting.poll();
            if (v == null || v.reported.isDone()) {
                if (v == null) {
                    Thread.sleep(5);
                }
                continue;
            }
            if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                waiting.add(v);
                continue;
            }
            if (!connecting.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                permits.release();
                waiting.add(v);
                continue;
            }
            CompletableFuture<Void> ready = new CompletableFuture<>();
            v.ready = ready;
            ready.whenComplete((x, e) -> connecting.release());
            bootstrap(v).connect(url.getHost(), url.getPort()).addListener((io.netty.channel.ChannelFuture cf) -> {
                if (!cf.isSuccess()) {
                    ready.completeExceptionally(cf.cause());
                    permits.release();
                    waiting.add(v);
                    return;
                }
                Channel ch = cf.channel();
                mostOnline.accumulateAndGet(onlineNow.incrementAndGet(), Math::max);
                ch.closeFuture().addListener(x -> {
                    onlineNow.decrementAndGet();
                    permits.release();
                    if (!v.reported.isDone()) {
                        waiting.add(v);
                    }
                });
                v.reported.whenComplete((x, e) -> {
                    ch.writeAndFlush(io.netty.handler.codec.mqtt.MqttMessage.DISCONNECT);
                    ch.close();
                });
                idleCheck(ch, v, idleNanos);
            });
        }
    }

    /** Ends {@link #roll} at its next step (the caller saw what it waited for by other means). */
    public void stopRolling() {
        stopRolling = true;
    }

    private static void idleCheck(Channel ch, ThinVehicle v, long idleNanos) {
        ch.eventLoop().schedule(() -> {
            if (!ch.isOpen() || v.reported.isDone()) {
                return;
            }
            long quiet = System.nanoTime() - v.lastHeardNanos;
            if (quiet >= idleNanos) {
                ch.writeAndFlush(io.netty.handler.codec.mqtt.MqttMessage.DISCONNECT);
                ch.close();
            } else {
                idleCheck(ch, v, idleNanos - quiet);
            }
        }, idleNanos, TimeUnit.NANOSECONDS);
    }

    private Bootstrap bootstrap(ThinVehicle v) {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel s) {
                        s.pipeline().addLast(new MqttDecoder(MAX_MESSAGE_BYTES), MqttEncoder.INSTANCE, v);
                    }
                });
    }

    private static KeyPair ed25519() {
        return dev.wasmota.signing.pki.Crypto.generateKeyPair(new java.security.SecureRandom());
    }

    /** The most parked vehicles that were connected at once while they {@link #roll rolled}. */
    public int mostOnline() {
        return mostOnline.get();
    }

    /** Vehicles that sent a committed status report so far. */
    public int committed() {
        return committed.get();
    }

    /** Vehicles whose status report the broker acknowledged so far. */
    public int acknowledged() {
        return (int) vehicles.stream().filter(v -> v.reported.isDone()).count();
    }

    /** When the first of these vehicles received its instruction, on the {@link System#nanoTime} clock (0 if none yet). */
    public long firstInstructedAtNanos() {
        return vehicles.stream().mapToLong(v -> v.instructedAtNanos).filter(t -> t != 0).min().orElse(0);
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
