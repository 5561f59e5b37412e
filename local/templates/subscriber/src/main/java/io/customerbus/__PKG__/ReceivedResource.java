package io.customerbus.__PKG__;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** What the sample handler received, by event type (?user= for one customer). */
@Path("/api/__NAME__/v1/received")
public class ReceivedResource {

    @Inject __CLASS__Handler handler;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Long> received(@QueryParam("user") String userId) {
        return handler.countsByType(userId);
    }
}
