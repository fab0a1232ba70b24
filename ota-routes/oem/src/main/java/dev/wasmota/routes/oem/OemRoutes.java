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

    private final Endpoints e;
    private final IntakeHandler intake;
    private final StatusHandler status;
    private final OutboxDispatcher dispatcher;
    private final CampaignTicker ticker;
    private final Runnable lease;
    private final long leaseMillis;
    private final DeadLetterRecorder deadLetters;

    OemRoutes(Endpoints e, IntakeHandler intake, StatusHandler status, OutboxDispatcher dispatcher, CampaignTicker ticker,
              Runnable lease, long leaseMillis, DeadLetterRecorder deadLetters) {
        this.e = e;
        this.intake = intake;
        this.status = status;
        this.dispatcher = dispatcher;
        this.ticker = ticker;
        this.lease = lease;
        this.leaseMillis = leaseMillis;
        this.deadLetters = deadLetters;
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
                .bean(status, "handle");

        from("timer:oem-dispatch?delay=0&period={{ota.dispatch.periodMillis}}").routeId("oem-dispatch")
                .bean(dispatcher, "take")
                .split(body())
                    .doTry()
                        .bean(dispatcher, "message")
                        .to(e.out())
                        .bean(dispatcher, "sent")
                    .doCatch(Exception.class)
                        .bean(dispatcher, "unclaim")
                    .end()
                .end();

        from("timer:oem-campaign-tick?period={{ota.campaign.tickMillis}}").routeId("oem-campaign-tick")
                .bean(ticker, "tick");

        from("timer:oem-lease?delay=" + leaseMillis + "&period=" + leaseMillis).routeId("oem-lease")
                .errorHandler(noErrorHandler())
                .process(x -> lease.run());

        from("direct:oem-dead-letter").routeId("oem-dead-letter")
                .errorHandler(noErrorHandler())
                .bean(deadLetters, "record")
                .to(e.out());
    }
}
