package io.customerbus.crm.rest;

import io.customerbus.crm.calls.SupportCallRequest;
import io.customerbus.crm.calls.SupportCalls;
import io.customerbus.runtime.http.StorableText;
import io.customerbus.runtime.tracing.BusTracing;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.sql.SQLException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Agents log support calls; each becomes a {@code support-call} event on the bus. */
@Path("/api/crm/v1/customers/{userId}/calls")
@RolesAllowed(CustomerResource.AGENT_ROLE)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SupportCallResource {

    @Inject SupportCalls calls;
    @Inject JsonWebToken agent;

    @POST
    @Operation(
            summary =
                    "Log a support call (201; 200 for a retry with the same callId). The timeline"
                            + " shows it once the bus has delivered it.")
    public Response log(
            @PathParam("userId")
                    @Pattern(regexp = StorableText.USER_ID, message = StorableText.USER_ID_MESSAGE)
                    String userId,
            @Valid @NotNull SupportCallRequest request,
            @HeaderParam("traceparent") String traceparent,
            @HeaderParam("tracestate") String tracestate)
            throws SQLException {
        SupportCalls.Outcome outcome =
                calls.log(
                        agent.getName(),
                        userId,
                        request,
                        BusTracing.ofRequest(traceparent, tracestate));
        return Response.status(outcome.status())
                .location(
                        UriBuilder.fromPath("/api/crm/v1/customers/{userId}/timeline")
                                .build(userId))
                .entity(outcome.call())
                .build();
    }
}
