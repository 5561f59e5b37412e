package io.customerbus.gateway.rest;

import io.customerbus.events.json.ValidEvent;
import io.customerbus.events.kafka.TraceContext;
import io.customerbus.gateway.intake.EventIntake;
import io.customerbus.gateway.intake.GatewayConfig;
import io.customerbus.gateway.intake.IntakeMetrics;
import io.customerbus.gateway.intake.Publisher;
import io.customerbus.gateway.intake.PublisherRateLimits;
import io.customerbus.gateway.intake.Receipt;
import io.customerbus.gateway.intake.RejectedEvents;
import io.customerbus.runtime.tracing.BusTracing;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.MDC;

/**
 * Publishing over HTTP for every system without a service on the shared outbox (book §14.4 path
 * layout). 202 means committed with the outbox: on the bus eventually, whatever Kafka is doing.
 */
@Path(EventResource.PATH)
@RolesAllowed(Publisher.ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "events")
@SecurityRequirement(name = "jwt")
public class EventResource {

    public static final String PATH = "/api/events/v1/events";

    /** A batch's answer: one receipt per event, in the batch's order. */
    public record BatchReceipt(List<Receipt> events) {}

    @Inject EventIntake intake;
    @Inject GatewayConfig config;
    @Inject IntakeMetrics metrics;
    @Inject PublisherRateLimits rateLimits;
    @Inject JsonWebToken token;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary =
                    "Publish one event (common JSON, or a CloudEvent in structured or binary mode)"
                            + " or a batch of structured CloudEvents")
    public Response publish(byte[] body, @Context HttpHeaders headers) {
        Publisher publisher = Publisher.of(token);
        Map<String, List<String>> requestHeaders = headers.getRequestHeaders();
        try {
            rateLimits.requireAnyLeft(publisher.name());
        } catch (RejectedEvents limited) {
            metrics.count(publisher, null, IntakeMetrics.LIMITED, 1);
            throw limited;
        }
        IncomingEvents.Mode mode;
        List<ValidEvent> events;
        try {
            // A body of a media type the gateway does not read (415) is counted as invalid too.
            mode =
                    IncomingEvents.Mode.of(
                            headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                            headers.getHeaderString(IncomingEvents.SPEC_VERSION_HEADER) != null);
            events =
                    IncomingEvents.read(
                            mode,
                            requestHeaders,
                            body,
                            publisher.name(),
                            config.maxBatchEvents(),
                            config.maxTimeAhead());
        } catch (RejectedEvents rejected) {
            metrics.count(
                    publisher,
                    null,
                    rejected.status() == 413 ? IntakeMetrics.TOO_LARGE : IntakeMetrics.INVALID,
                    rejected.refused());
            rateLimits.charge(publisher.name(), rejected.refused());
            throw rejected;
        }
        List<Receipt> receipts = intake.accept(publisher, events, trace(headers));
        Object answer =
                mode == IncomingEvents.Mode.BATCH ? new BatchReceipt(receipts) : receipts.get(0);
        return Response.accepted(answer).type(MediaType.APPLICATION_JSON).build();
    }

    /** The trace the events join: this request's server span, the caller's, or a new one. */
    private static Optional<TraceContext> trace(HttpHeaders headers) {
        TraceContext trace =
                BusTracing.ofRequest(
                        headers.getHeaderString("traceparent"),
                        headers.getHeaderString("tracestate"));
        MDC.put("traceId", trace.traceId());
        return Optional.of(trace);
    }
}
