package io.customerbus.console.rest;

import io.customerbus.console.bus.BusView;
import io.customerbus.console.bus.BusViews;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The operators' API (book §14.4 path layout); the page at /console/ is built on it. */
@Path("/api/console/v1")
@RolesAllowed(ConsoleResource.ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "console")
@SecurityRequirement(name = "jwt")
public class ConsoleResource {

    public static final String ROLE = "bus-admin";

    @Inject BusViews views;

    @GET
    @Path("bus")
    @Operation(
            summary =
                    "The whole bus in one answer: traffic by type, and every described subscriber"
                            + " with its lag per partition (records, seconds), replay boundary and"
                            + " DLQ depth")
    public BusView bus() throws Exception {
        return views.whole();
    }
}
