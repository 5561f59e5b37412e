package io.customerbus.crm.rest;

import io.customerbus.crm.service.CustomerQueries;
import io.customerbus.runtime.http.StorableText;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The CRM's view of customers, for agents (role crm-agent); errors are problem+json. */
@Path("/api/crm/v1/customers")
@RolesAllowed(CustomerResource.AGENT_ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class CustomerResource {

    /**
     * An event type (lower-kebab). Its repeated group is possessive: matched the plain way, each
     * repetition took a level of the thread's stack, and a type of ~3,000 characters, which a URL
     * holds, overflowed it (a 500).
     */
    static final String TYPE = "[a-z][a-z0-9]*+(?:-[a-z0-9]++)*+";

    public static final String AGENT_ROLE = "crm-agent";

    @Inject CustomerQueries queries;

    @GET
    @Operation(
            summary =
                    "Customers whose user id, or a product in their timeline, starts with q; in"
                            + " user-id order")
    public CustomerMatches search(
            @QueryParam("q")
                    @NotBlank
                    @Pattern(regexp = StorableText.USER_ID, message = StorableText.USER_ID_MESSAGE)
                    String q,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit)
            throws SQLException {
        return new CustomerMatches(q, queries.search(q, limit));
    }

    @GET
    @Path("{userId}")
    @Operation(
            summary =
                    "A customer's profile: first/last seen, counts by type, spend, products owned, last contact")
    public CustomerProfileView profile(
            @PathParam("userId")
                    @Pattern(regexp = StorableText.USER_ID, message = StorableText.USER_ID_MESSAGE)
                    String userId)
            throws SQLException {
        return queries.profile(userId)
                .orElseThrow(() -> new NotFoundException("no events for customer " + userId));
    }

    @GET
    @Path("{userId}/timeline")
    @Operation(
            summary = "A customer's events, newest first",
            description =
                    "A page of size entries; the next one is asked for with after = this page's"
                            + " next (null on the last page).")
    public TimelinePage timeline(
            @PathParam("userId")
                    @Pattern(regexp = StorableText.USER_ID, message = StorableText.USER_ID_MESSAGE)
                    String userId,
            @QueryParam("type") @Pattern(regexp = TYPE) String type,
            @QueryParam("after") TimelineCursor after,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size)
            throws SQLException {
        return queries.timeline(userId, type, after, size);
    }
}
