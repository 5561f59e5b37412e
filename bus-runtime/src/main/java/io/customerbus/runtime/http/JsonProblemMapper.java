package io.customerbus.runtime.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.customerbus.events.json.JsonPaths;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Unreadable request bodies as 400 problem+json naming the field. Quarkus wraps some Jackson
 * failures in a bare WebApplicationException, which would otherwise say only "HTTP 400".
 */
public class JsonProblemMapper {

    // One method per type: the most specific mapper wins, so each Jackson type is named here.
    @ServerExceptionMapper(priority = 1)
    public Response unreadable(JsonProcessingException failure, UriInfo uri) {
        return problem(failure, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException failure, UriInfo uri) {
        return problem(failure, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response invalidFormat(InvalidFormatException failure, UriInfo uri) {
        return problem(failure, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException failure, UriInfo uri) {
        return problem(failure, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response wrapped(WebApplicationException failure, UriInfo uri) {
        if (failure.getCause() instanceof JsonProcessingException json) {
            return problem(json, uri);
        }
        Response.StatusType status = failure.getResponse().getStatusInfo();
        return build(
                status.getStatusCode(), status.getReasonPhrase(), failure.getMessage(), null, uri);
    }

    private static Response problem(JsonProcessingException failure, UriInfo uri) {
        String field =
                failure instanceof JsonMappingException mapping ? JsonPaths.of(mapping) : "$";
        String detail;
        if (failure instanceof JsonParseException) {
            detail = "malformed JSON: " + failure.getOriginalMessage();
        } else if (failure instanceof UnrecognizedPropertyException unknown) {
            detail = "unknown field '" + unknown.getPropertyName() + "'";
        } else if (failure instanceof MismatchedInputException mismatch
                && mismatch.getTargetType() != null) {
            detail = "expected " + describe(mismatch.getTargetType()) + " here";
        } else {
            detail = failure.getOriginalMessage();
        }
        return build(400, "Bad Request", detail, field, uri);
    }

    private static String describe(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return type == Integer.class || type == int.class ? "a whole number" : "a number";
        }
        return type == String.class ? "a string" : "a JSON object";
    }

    private static Response build(
            int status, String title, String detail, String field, UriInfo uri) {
        return Problem.of(status, title, detail, field, uri).build();
    }
}
