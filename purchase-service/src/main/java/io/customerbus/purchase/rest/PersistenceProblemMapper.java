package io.customerbus.purchase.rest;

import io.customerbus.runtime.http.DatabaseProblemMapper;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * What reaches the database through Hibernate — a purchase's idempotency key, a refund's lock on
 * the purchase, every read — fails as a PersistenceException (a JDBCConnectionException when the
 * database cannot be reached), which the platform's database mapper does not see: answered as it
 * answers, 503 with Retry-After for a database that cannot be reached, instead of a bare 500.
 */
public class PersistenceProblemMapper {

    @ServerExceptionMapper(priority = 1)
    public Response persistence(PersistenceException failure, UriInfo uri) {
        return DatabaseProblemMapper.answer(failure, uri);
    }
}
