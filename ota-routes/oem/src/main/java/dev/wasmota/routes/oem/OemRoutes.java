package dev.wasmota.routes.oem;

import dev.wasmota.transport.camel.DeadLetterRecorder;
import dev.wasmota.contract.error.RejectedException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import dev.wasmota.transport.camel.OtaRouteBuilder;

/**
 * The OEM's routes. Logic lives in the beans; each route is a few lines with a {@code routeId}.
 * A refusal goes straight to the dead-letter route; any other failure is retried
 * {@code {{ota.route.redeliveries}}} times first.
 */
final class OemRoutes extends OtaRouteBuilder {
    record Endpoints(Endpoint intakeIn, Endpoint statusIn, Endpoint out, String releasesTopic) {
    }

    /** The beans the routes call. */
    record Beans(IntakeHandler intake, StatusBatcher status, DispatchRound dispatch,
                 CampaignTicker ticker, StatusResync resync, FleetMeters fleet, Runnable lease, long leaseMillis,
                 DeadLetterRecorder deadLetters) {
    }

    /** Every route's id, in the order they are defined. */
    static final java.util.List<String> ROUTE_IDS = java.util.List.of("oem-intake", "oem-status", "oem-dispatch",
            "oem-campaign-tick", "oem-status-resync", "oem-status-resync-round", "oem-fleet-meters", "oem-lease",
            "oem-dead-letter");

    /** Where a round of status requests runs ({@link StatusResync}); sent to after a reconnect as well as on the timer. */
    static final String RESYNC_ROUND = "direct:oem-status-resync-round";

    private final Endpoints e;
    private final IntakeHandler intake;
    private final StatusBatcher status;
    private final DispatchRound dispatch;
    private final CampaignTicker ticker;
    private final StatusResync resync;
    private final FleetMeters fleet;
    private final Runnable lease;
    private final long leaseMillis;
    private final DeadLetterRecorder deadLetters;

    OemRoutes(Endpoints e, Beans b) {
        this.e = e;
        this.intake = b.intake();
        this.status = b.status();
        this.dispatch = b.dispatch();
        this.ticker = b.ticker();
        this.resync = b.resync();
        this.fleet = b.fleet();
        this.lease = b.lease();
        this.leaseMillis = b.leaseMillis();
        this.deadLetters = b.deadLetters();
    }

    @Override
    public void configure() {
        errorHandler(deadLetterChannel("direct:oem-dead-letter").useOriginalMessage()
                .maximumRedeliveries(setting("ota.route.redeliveries")).redeliveryDelay(setting("ota.route.redeliveryDelayMillis")));
        onException(RejectedException.class).handled(true).useOriginalMessage().to("direct:oem-dead-letter");

        from(e.intakeIn()).routeId("oem-intake")
                .bean(intake, "handle")
                .to(e.out())
                .choice()
                    .when(exchangeProperty(IntakeHandler.RELEASE_EVENT).isNotNull())
                        .setBody(exchangeProperty(IntakeHandler.RELEASE_EVENT))
                        .setHeader("CamelPahoMqtt5OverrideTopic", constant(e.releasesTopic()))
                        .to(e.out())
                    .when(exchangeProperty(DeadLetterRecorder.ALSO).isNotNull())
                        .setProperty(Exchange.EXCEPTION_CAUGHT, exchangeProperty(DeadLetterRecorder.ALSO))
                        .setBody(exchangeProperty(DeadLetterRecorder.ORIGINAL))
                        .to("direct:oem-dead-letter")
                .end();

        from(e.statusIn()).routeId("oem-status")
                .process(status);

        // a round publishes its batch through a window of publishes in flight and returns once all are answered
        from("timer:oem-dispatch?delay=0&period={{ota.dispatch.periodMillis}}").routeId("oem-dispatch")
                .bean(dispatch, "run");

        from("timer:oem-campaign-tick?period={{ota.campaign.tickMillis}}").routeId("oem-campaign-tick")
                .bean(ticker, "tick");

        // the first round after one period: the worker takes in what its session kept for it first
        from("timer:oem-status-resync?delay={{ota.status.resyncMillis}}&period={{ota.status.resyncMillis}}")
                .routeId("oem-status-resync")
                .errorHandler(noErrorHandler())
                .to(RESYNC_ROUND);

        // a round: on the timer, and at once when the status subscription is back after a lost connection
        from(RESYNC_ROUND).routeId("oem-status-resync-round")
                .errorHandler(noErrorHandler())
                .bean(resync, "due")
                .split(body())
                    .doTry()
                        .bean(resync, "message")
                        .to(e.out())
                        .bean(resync, "sent")
                    .doCatch(Exception.class)
                        .bean(resync, "failed")
                    .end()
                .end();

        from("timer:oem-fleet-meters?delay=0&period={{ota.metrics.refreshMillis}}").routeId("oem-fleet-meters")
                .errorHandler(noErrorHandler())
                .bean(fleet, "refresh");

        from("timer:oem-lease?delay=" + leaseMillis + "&period=" + leaseMillis).routeId("oem-lease")
                .errorHandler(noErrorHandler())
                .process(x -> lease.run());

        from("direct:oem-dead-letter").routeId("oem-dead-letter")
                .errorHandler(noErrorHandler())
                .bean(deadLetters, "record")
                .to(e.out());
    }
}
