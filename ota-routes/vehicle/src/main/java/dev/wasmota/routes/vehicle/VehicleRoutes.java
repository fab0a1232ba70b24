package dev.wasmota.routes.vehicle;

import dev.wasmota.routes.vehicle.release.ChunkFetcher;
import dev.wasmota.routes.vehicle.release.ReleaseTraffic;
import dev.wasmota.transport.camel.DeadLetterRecorder;
import dev.wasmota.protocol.wire.ShadowCommandMessage;
import dev.wasmota.protocol.wire.StatusRequest;
import dev.wasmota.protocol.wire.TrustUpdateMessage;
import dev.wasmota.contract.error.RejectedException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import dev.wasmota.transport.camel.OtaRouteBuilder;

/**
 * One vehicle's routes: update → install → signed status, a trust update → the host's trust, or the
 * OEM's status request → the kept reports sent again; a release instruction, index or chunk → the
 * chunk fetcher, and a release it completed → install → signed status; an operator's shadow command → the host's
 * shadow → signed status; and the watch for rollbacks its host did by itself.
 */
final class VehicleRoutes extends OtaRouteBuilder {
    /** One timer thread for every vehicle's watch in a process; distinct first delays keep their endpoints apart. */
    private static final java.util.concurrent.atomic.AtomicLong WATCH_DELAYS = new java.util.concurrent.atomic.AtomicLong(500);

    record Endpoints(Endpoint updateIn, Endpoint statusOut, Endpoint deadLetterOut) {
    }

    private final String vehicleId;
    private final Endpoints e;
    private final UpdateHandler updates;
    private final TrustUpdateHandler trustUpdates;
    private final RollbackWatch watch;
    private final DeadLetterRecorder deadLetters;
    private final SentStatuses sent;

    private final long linkDelayMillis;
    private final ChunkFetcher fetcher;
    private final ShadowCommandHandler shadowCommands;

    VehicleRoutes(String vehicleId, Endpoints e, UpdateHandler updates, TrustUpdateHandler trustUpdates, RollbackWatch watch,
                  DeadLetterRecorder deadLetters, SentStatuses sent, long linkDelayMillis, ChunkFetcher fetcher,
                  ShadowCommandHandler shadowCommands) {
        this.fetcher = fetcher;
        this.shadowCommands = shadowCommands;
        this.trustUpdates = trustUpdates;
        this.sent = sent;
        this.vehicleId = vehicleId;
        this.linkDelayMillis = linkDelayMillis;
        this.e = e;
        this.updates = updates;
        this.watch = watch;
        this.deadLetters = deadLetters;
    }

    @Override
    public void configure() {
        String deadLetter = "direct:vehicle-dead-letter-" + vehicleId;
        String assembled = "direct:vehicle-assembled-" + vehicleId;
        String statusOut = "direct:vehicle-status-" + vehicleId;
        errorHandler(defaultErrorHandler().logExhausted(false).logStackTrace(false));
        onException(PowerLoss.class).handled(false).maximumRedeliveries(0).logExhausted(false).logHandled(false);
        onException(RejectedException.class).handled(true).maximumRedeliveries(0).useOriginalMessage().to(deadLetter);
        onException(Exception.class).handled(true).useOriginalMessage()
                .maximumRedeliveries(setting("ota.route.redeliveries"))
                .redeliveryDelay(setting("ota.route.redeliveryDelayMillis")).to(deadLetter);

        from(assembled).routeId("vehicle-assembled-" + vehicleId)
                .filter(body().isNotNull())
                    .bean(updates, "handleAssembled")
                    .split(body())
                        .to(statusOut)
                    .end()
                    .filter(exchangeProperty(UpdateHandler.DEAD_LETTER_TOO).isNotNull())
                        .setProperty(Exchange.EXCEPTION_CAUGHT, exchangeProperty(UpdateHandler.DEAD_LETTER_TOO))
                        .setBody(exchangeProperty(UpdateHandler.ORIGINAL))
                        .to(deadLetter)
                    .end()
                .end();

        from("timer:vehicle-release-stall?period={{ota.vehicle.chunkStallMillis}}&delay=" + WATCH_DELAYS.incrementAndGet())
                .routeId("vehicle-release-stall-" + vehicleId)
                .bean(fetcher, "tick");

        from("timer:vehicle-postponed?period={{ota.vehicle.watchMillis}}&delay=" + WATCH_DELAYS.incrementAndGet())
                .routeId("vehicle-postponed-" + vehicleId)
                .bean(updates, "retryPostponed")
                .split(body())
                    .to(statusOut);

        from("timer:vehicle-watch?period={{ota.vehicle.watchMillis}}&delay=" + WATCH_DELAYS.incrementAndGet())
                .routeId("vehicle-watch-" + vehicleId)
                .bean(watch, "check")
                .split(body())
                    .to(statusOut);

        // a report the broker acknowledged no longer waits for a reconnect; a refused publish fails the
        // calling route's step, which redelivers and then dead-letters as before
        from(statusOut).routeId("vehicle-status-" + vehicleId)
                .errorHandler(noErrorHandler())
                .to(e.statusOut())
                .bean(sent, "delivered");

        from(deadLetter).routeId("vehicle-dead-letter-" + vehicleId)
                .errorHandler(noErrorHandler())
                .bean(deadLetters, "record")
                .to(e.deadLetterOut());

        // the update route last: a persistent session delivers what it kept as soon as this consumer starts,
        // and what it delivers goes on to the routes above
        from(e.updateIn()).routeId("vehicle-update-" + vehicleId)
                .delay(linkDelayMillis)
                .choice()
                    .when(method(TrustUpdateMessage.class, "isTrustUpdate"))
                        .bean(trustUpdates, "handle")
                    .when(method(ReleaseTraffic.class, "isReleaseInstruction"))
                        .bean(fetcher, "instructed")
                        .process(VehicleRoutes::unwrap)
                        .to(assembled)
                        .endChoice()
                    .when(method(ReleaseTraffic.class, "isReleaseTopicMessage"))
                        .bean(fetcher, "received")
                        .process(VehicleRoutes::unwrap)
                        .to(assembled)
                        .endChoice()
                    .when(method(ShadowCommandMessage.class, "isShadowCommand"))
                        .bean(shadowCommands, "handle")
                        .split(body())
                            .to(statusOut)
                        .end()
                        .endChoice()
                    .when(method(StatusRequest.class, "isStatusRequest"))
                        .bean(sent, "requested")
                        .split(body())
                            .to(statusOut)
                        .end()
                        .endChoice()
                    .otherwise()
                        .bean(updates, "handle")
                        .split(body())
                            .to(statusOut)
                        .end()
                        .filter(exchangeProperty(UpdateHandler.DEAD_LETTER_TOO).isNotNull())
                            .setProperty(Exchange.EXCEPTION_CAUGHT, exchangeProperty(UpdateHandler.DEAD_LETTER_TOO))
                            .setBody(exchangeProperty(UpdateHandler.ORIGINAL))
                            .to(deadLetter)
                        .end()
                .end();
    }

    /** The fetcher's answer as the body: the package it completed, or none. */
    private static void unwrap(Exchange x) {
        java.util.Optional<?> done = x.getIn().getBody(java.util.Optional.class);
        x.getIn().setBody(done == null ? null : done.orElse(null));
    }
}
