package io.customerbus.runtime.http;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/** An RFC 9457 problem+json answer, as every mapper of the toolkit writes it. */
final class Problem {

    private Problem() {}

    /** Status, title, detail and the request's path; a field for errors in the request body. */
    static Response.ResponseBuilder of(
            int status, String title, String detail, String field, UriInfo uri) {
        return of(status, title, detail, field, uri, Map.of());
    }

    /** The same, with more members (such as a list of violations). */
    static Response.ResponseBuilder of(
            int status,
            String title,
            String detail,
            String field,
            UriInfo uri,
            Map<String, Object> more) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("status", status);
        problem.put("title", title);
        problem.put("detail", detail);
        problem.put("instance", uri.getPath());
        if (field != null) {
            problem.put("field", field);
        }
        problem.putAll(more);
        return Response.status(status).type("application/problem+json").entity(problem);
    }
}
