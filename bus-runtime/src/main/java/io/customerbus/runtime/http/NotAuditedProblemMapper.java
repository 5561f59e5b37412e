package io.customerbus.runtime.http;

import io.customerbus.runtime.operations.NotAudited;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * An operator's action that was done but could not be recorded in the audit log: a 500, as the
 * request did not do all it should, whose problem says that the action itself happened ({@code
 * "done": true}) and must not be repeated.
 */
public class NotAuditedProblemMapper {

    @ServerExceptionMapper
    public Response notAudited(NotAudited failure, UriInfo uri) {
        return Problem.of(
                        500,
                        "Done, but not audited",
                        failure.getMessage(),
                        null,
                        uri,
                        Map.of("done", true))
                .build();
    }
}
