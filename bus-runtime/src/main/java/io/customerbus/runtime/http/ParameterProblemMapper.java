package io.customerbus.runtime.http;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A path or query parameter that does not convert to its type (a page that is not a number, an id
 * that is not a UUID) as 400 problem+json. JAX-RS answers these with a 404, the NotFoundException
 * wrapping the conversion's failure, which sends a client looking for a missing resource instead of
 * at its own mistake. A NotFoundException without a cause is a real 404.
 */
public class ParameterProblemMapper {

    @ServerExceptionMapper(priority = 1)
    public Response notFound(NotFoundException failure, UriInfo uri) {
        Throwable conversion = failure.getCause();
        if (conversion == null) {
            return Problem.of(404, "Not Found", failure.getMessage(), null, uri).build();
        }
        return Problem.of(
                        400,
                        "Bad Request",
                        "a path or query parameter is not of its type: " + conversion.getMessage(),
                        null,
                        uri)
                .build();
    }
}
