package dev.wasmota.routes.vehicle;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.wire.Frames;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.StatusReportCodec;
import dev.wasmota.protocol.wire.StatusRequest;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The status reports this vehicle sent, the latest per instruction, kept in
 * {@code STATE/}{@value #DIR} so it can send them again: a report lost while no OEM worker
 * listened, or refused for a cause since fixed (a certificate replaced, a database back), is
 * otherwise never counted, and the campaign waits for the instruction to expire. They go again
 * when the OEM asks ({@link StatusRequest}) and, for instructions not yet expired, when the
 * vehicle starts (a new certificate means a restart). Each is signed again with the vehicle's
 * key of now; the report itself (its result, the audit-log head it named) is what was sent.
 * At most {@value #MAX_KEPT} are kept, those expiring first dropped first; one instruction's
 * report goes again at most once per {@code minInterval}, so the requests of several OEM workers
 * (or a flood of them) cost one report each. The first request after a report is always answered,
 * however soon: the broker may have acknowledged the report and still dropped it (Mosquitto 2.0
 * does not keep a shared subscription across its restart, so what reaches the OEM's status topic
 * before a worker subscribes again is lost), and the OEM asks when it reconnects. A report the
 * broker never acknowledged (refused while the link was down) goes again by itself after the
 * next reconnect ({@link #undelivered}).
 */
public final class SentStatuses {
    public static final String DIR = "status-sent";
    static final int MAX_KEPT = 64;
    private static final String KIND = "WOTK";
    private static final String EXTENSION = ".status";
    private static final int MAX_TIME_BYTES = 64;
    private static final System.Logger LOG = System.getLogger(SentStatuses.class.getName());

    private record Kept(StatusReport report, Instant expiresAt, Path file) {
    }

    private final Path dir;
    private final String vehicleId;
    private final Credential credential;
    private final Clock clock;
    private final long minIntervalNanos;
    private final ServiceEvents events;
    private final Map<String, Long> lastSent = new HashMap<>();
    /**
     * The reports kept since this start whose publish the broker has not acknowledged yet, by
     * instruction (their canonical bytes): a publish refused while the connection was down leaves
     * its report here, and it goes again when the connection is back ({@link #undelivered}).
     */
    private final Map<String, byte[]> undelivered = new HashMap<>();

    public SentStatuses(Path stateDir, String vehicleId, Credential credential, Clock clock, Duration minInterval,
                        ServiceEvents events) {
        this.dir = stateDir.resolve(DIR);
        this.vehicleId = vehicleId;
        this.credential = credential;
        this.clock = clock;
        this.minIntervalNanos = minInterval.toNanos();
        this.events = events;
    }

    /**
     * Keeps {@code r}, the report just sent for an instruction valid until {@code expiresAt}, in
     * place of any earlier one for it. A state that takes no write loses only the chance to send
     * it again: logged, never thrown.
     */
    synchronized void keep(StatusReport r, Instant expiresAt) {
        undelivered.put(r.instructionId(), StatusReportCodec.canonicalBytes(r));
        try {
            DurableFiles.createDirectories(dir);
            DurableFiles.writeAtomic(file(r.instructionId()), Frames.encode(KIND, StatusReportCodec.canonicalBytes(r),
                    expiresAt.toString().getBytes(StandardCharsets.US_ASCII)));
            prune();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the status of instruction " + r.instructionId()
                    + " to send it again: " + e);
            events.emit(clock, ServiceEvent.Kind.RESYNC, "cannot keep the status of instruction " + r.instructionId()
                    + " to send it again: " + e.getMessage());
        }
    }

    /**
     * The OEM's request in the exchange: the kept reports it names, signed, that were not sent
     * within the interval; refused ({@link RouteFailure#WRONG_SENDER}) when it names another vehicle.
     */
    public synchronized List<byte[]> requested(Exchange ex) {
        StatusRequest request = StatusRequest.decode(ex.getIn().getBody(byte[].class));
        if (!request.vehicleId().equals(vehicleId)) {
            throw new RejectedException(RouteFailure.WRONG_SENDER, "a status request for vehicle " + request.vehicleId()
                    + " arrived on vehicle " + vehicleId + "'s update topic");
        }
        List<byte[]> out = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        List<String> recent = new ArrayList<>();
        List<String> none = new ArrayList<>();
        for (String id : request.instructionIds()) {
            Optional<Kept> k = read(file(id));
            if (k.isEmpty()) {
                none.add(id);
            } else if (!due(id)) {
                recent.add(id);
            } else {
                out.add(sign(k.get()));
                sent.add(id + " " + k.get().report().result());
            }
        }
        List<String> parts = new ArrayList<>();
        summary(parts, "sent again", sent);
        summary(parts, "sent less than " + Duration.ofNanos(minIntervalNanos).toMillis() + " ms ago, not again yet", recent);
        summary(parts, "no report kept (never answered here)", none);
        events.emit(clock, ServiceEvent.Kind.RESYNC, "status request from the OEM for " + request.instructionIds().size()
                + " instruction(s): " + String.join("; ", parts));
        ex.getIn().removeHeaders("CamelPahoMqtt5*");
        return out;
    }

    /**
     * At start: every kept report whose instruction has not expired, signed; the expired ones are
     * dropped. What a vehicle sends once it is back, so a refusal fixed on its side (its
     * certificate) needs no request.
     */
    public synchronized List<byte[]> unexpired() {
        Instant now = clock.instant();
        List<byte[]> out = new ArrayList<>();
        for (Kept k : all()) {
            if (k.expiresAt().isBefore(now)) {
                delete(k.file());
            } else if (due(k.report().instructionId())) {
                out.add(sign(k));
            }
        }
        if (!out.isEmpty()) {
            events.emit(clock, ServiceEvent.Kind.RESYNC, "sending again the status of " + out.size()
                    + " unexpired instruction(s) answered before this start");
        }
        return out;
    }

    /**
     * The broker acknowledged {@code signed}, a signed report this vehicle published: it no longer
     * waits to be sent again on reconnect (unless a newer report for its instruction was kept since).
     */
    public synchronized void delivered(byte[] signed) {
        byte[] body = Frames.decode(signed, SignedStatus.KIND, 3, StatusReportCodec.MAX_BYTES, SignedStatus.MAX_SIGNATURE_BYTES,
                SignedStatus.MAX_CERT_BYTES).get(0);
        String instructionId = StatusReportCodec.parse(body).instructionId();
        if (java.util.Arrays.equals(undelivered.get(instructionId), body)) {
            undelivered.remove(instructionId);
        }
    }

    /**
     * After a reconnect: the reports kept since this start whose publish was never acknowledged
     * (refused while the connection was down, or lost with it), signed again, those of expired
     * instructions dropped. They go whenever asked, whatever the interval: they were never counted.
     */
    public synchronized List<byte[]> undelivered() {
        Instant now = clock.instant();
        List<byte[]> out = new ArrayList<>();
        for (var it = undelivered.keySet().iterator(); it.hasNext(); ) {
            Optional<Kept> k = read(file(it.next()));
            if (k.isEmpty() || k.get().expiresAt().isBefore(now)) {
                it.remove();
            } else {
                out.add(sign(k.get()));
            }
        }
        if (!out.isEmpty()) {
            events.emit(clock, ServiceEvent.Kind.RESYNC, "sending again the status of " + out.size()
                    + " instruction(s) whose report the broker never acknowledged");
        }
        return out;
    }

    private boolean due(String instructionId) {
        Long last = lastSent.get(instructionId);
        long now = System.nanoTime();
        if (last != null && now - last < minIntervalNanos) {
            return false;
        }
        lastSent.put(instructionId, now);
        return true;
    }

    private byte[] sign(Kept k) {
        return SignedStatus.sign(k.report(), credential);
    }

    private void prune() {
        List<Kept> kept = all();
        if (kept.size() <= MAX_KEPT) {
            return;
        }
        kept.sort(Comparator.comparing(Kept::expiresAt));
        for (Kept k : kept.subList(0, kept.size() - MAX_KEPT)) {
            delete(k.file());
            lastSent.remove(k.report().instructionId());
            undelivered.remove(k.report().instructionId());
        }
    }

    private List<Kept> all() {
        List<Kept> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + EXTENSION)) {
            files.forEach(f -> read(f).ifPresent(out::add));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list " + dir + ": " + e);
        }
        return out;
    }

    /** A kept report, or empty if there is none or it cannot be read (a damaged file is dropped). */
    private Optional<Kept> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            List<byte[]> parts = Frames.decode(DurableFiles.readBounded(file, 6 + 8 + StatusReportCodec.MAX_BYTES
                    + MAX_TIME_BYTES), KIND, 2, StatusReportCodec.MAX_BYTES, MAX_TIME_BYTES);
            StatusReport r = StatusReportCodec.parse(parts.get(0));
            if (!r.vehicleId().equals(vehicleId) || !file.getFileName().toString().equals(r.instructionId() + EXTENSION)) {
                throw new IllegalArgumentException("it holds vehicle " + r.vehicleId() + "'s report for " + r.instructionId());
            }
            return Optional.of(new Kept(r, Instant.parse(new String(parts.get(1), StandardCharsets.US_ASCII)), file));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "dropping the damaged kept status " + file + ": " + e);
            delete(file);
            return Optional.empty();
        }
    }

    private Path file(String instructionId) {
        return dir.resolve(instructionId + EXTENSION);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + file + ": " + e);
        }
    }

    private static void summary(List<String> parts, String what, List<String> ids) {
        if (!ids.isEmpty()) {
            parts.add(what + ": " + String.join(", ", ids));
        }
    }
}
