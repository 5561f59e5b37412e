package io.customerbus.gateway.rest;

import io.customerbus.gateway.intake.RejectedEvents;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused request as problem+json (RFC 9457), with one entry per offending event. */
public class RejectedEventsMapper {

    @ServerExceptionMapper
    public Response rejected(RejectedEvents rejected, UriInfo uri) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("status", rejected.status());
        problem.put("title", rejected.title());
        problem.put("detail", rejected.getMessage());
        problem.put("instance", uri.getPath());
        if (!rejected.problems().isEmpty()) {
            problem.put("violations", rejected.problems());
        }
        Response.ResponseBuilder response =
                Response.status(rejected.status()).type("application/problem+json").entity(problem);
        rejected.retryAfterSeconds().ifPresent(seconds -> response.header("Retry-After", seconds));
        return response.build();
    }
}
