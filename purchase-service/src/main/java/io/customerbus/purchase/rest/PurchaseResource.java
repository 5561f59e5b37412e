package io.customerbus.purchase.rest;

import io.customerbus.events.kafka.TraceContext;
import io.customerbus.purchase.service.Caller;
import io.customerbus.purchase.service.PurchaseService;
import io.customerbus.runtime.http.StorableText;
import io.customerbus.runtime.tracing.BusTracing;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.MDC;

/** The purchase API (book §14.4 path layout); every error is application/problem+json. */
@Path(PurchaseResource.PATH)
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "purchases")
@SecurityRequirement(name = "jwt")
public class PurchaseResource {

    public static final String PATH = "/api/purchases/v1/purchases";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @Inject PurchaseService purchases;
    @Inject JsonWebToken jwt;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a purchase and publish its purchase event")
    public Response create(
            @Valid @NotNull PurchaseRequest request,
            @HeaderParam(IDEMPOTENCY_KEY) @Size(min = 1, max = 255) String idempotencyKey,
            @HeaderParam("traceparent") String traceparent,
            @HeaderParam("tracestate") String tracestate) {
        PurchaseService.Outcome outcome =
                purchases.create(caller(), request, idempotencyKey, trace(traceparent, tracestate));
        return respond(outcome);
    }

    @POST
    @Path("{id}/refund")
    @Operation(
            summary =
                    "Refund a purchase and publish its refund event; a second refund is a conflict")
    public Response refund(
            @PathParam("id") UUID id,
            @HeaderParam(IDEMPOTENCY_KEY) @Size(min = 1, max = 255) String idempotencyKey,
            @HeaderParam("traceparent") String traceparent,
            @HeaderParam("tracestate") String tracestate) {
        return respond(
                purchases.refund(caller(), id, idempotencyKey, trace(traceparent, tracestate)));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One purchase")
    public PurchaseView get(@PathParam("id") UUID id) {
        return purchases.find(caller(), id);
    }

    @GET
    @Operation(summary = "A customer's purchases, newest first")
    public PurchasePage list(
            @QueryParam("userId")
                    @Pattern(regexp = StorableText.USER_ID, message = StorableText.USER_ID_MESSAGE)
                    String userId,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return purchases.list(caller(), userId, page, size);
    }

    /**
     * The caller from the verified token. A token may name its holder by {@code upn} or {@code
     * preferred_username} alone, yet purchases belong to the {@code sub}: without one it names no
     * customer (403). An {@code email} claim that is not a text is no address.
     */
    private Caller caller() {
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new ForbiddenException("the token has no sub claim: it names no customer");
        }
        Object email = jwt.getClaim("email");
        return new Caller(
                subject,
                email instanceof String text ? text : null,
                jwt.getGroups().contains(Caller.ADMIN_ROLE));
    }

    /**
     * The trace the event joins: this request's server span when traced, else the caller's W3C
     * context, else a new trace — every event can be followed by its id.
     */
    private static Optional<TraceContext> trace(String traceparent, String tracestate) {
        TraceContext trace = BusTracing.ofRequest(traceparent, tracestate);
        MDC.put("traceId", trace.traceId());
        return Optional.of(trace);
    }

    private static Response respond(PurchaseService.Outcome outcome) {
        return Response.status(outcome.status())
                .location(URI.create(PATH + "/" + outcome.purchase().id()))
                .entity(outcome.purchase())
                .build();
    }
}
