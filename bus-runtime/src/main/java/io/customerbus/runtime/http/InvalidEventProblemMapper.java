package io.customerbus.runtime.http;

import io.customerbus.events.json.InvalidEventException;
import io.customerbus.events.json.Violation;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The event a request would publish breaks the bus's contract (its schema or its carriage rules,
 * such as a NUL in a text): the request's input, not a fault of the service — 400 problem+json
 * naming each violation. It is thrown inside the request's transaction, so nothing is written.
 */
public class InvalidEventProblemMapper {

    @ServerExceptionMapper(priority = 1)
    public Response invalid(InvalidEventException failure, UriInfo uri) {
        List<Map<String, String>> violations =
                failure.violations().stream().map(InvalidEventProblemMapper::member).toList();
        return Problem.of(
                        400,
                        "Bad Request",
                        "the event this request would publish breaks the bus's contract",
                        null,
                        uri,
                        Map.of("violations", violations))
                .build();
    }

    private static Map<String, String> member(Violation violation) {
        return Map.of(
                "field",
                violation.field(),
                "rule",
                violation.rule(),
                "message",
                violation.message());
    }
}
