package io.customerbus.runtime.http;

import io.quarkus.arc.ArcUndeclaredThrowableException;
import jakarta.transaction.RollbackException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A database that cannot be reached — down, restarting, every connection cut — is a passing
 * condition, not a fault of the request: 503 problem+json with Retry-After, so clients and load
 * balancers retry instead of reporting a bug. A transaction is written whole or not at all, and a
 * commit cut off half-way has an unknown outcome, so the answer asks for a retry with the same
 * Idempotency-Key (or event id), which never writes twice. Other database errors stay 500.
 *
 * <p>Where it surfaces: a failed statement (a {@link DatabaseException}, such as a failed outbox
 * write, with the driver's SQLException as its cause, or the SQLException itself, as a resource
 * reading with plain JDBC declares it), and a failed commit — a checked RollbackException, with the
 * driver's error suppressed in it, that the transaction interceptor wraps. A RollbackException with
 * nothing in it — no cause, nothing suppressed — is a transaction the transaction manager rolled
 * back itself: one that outlived its timeout, waiting on a database that did not answer (a silent
 * network), which is an outage too. One that carries an error (a flush that failed, a listener's
 * bug) is that error's.
 */
public class DatabaseProblemMapper {

    private static final Logger LOG = Logger.getLogger(DatabaseProblemMapper.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper(
            value = {
                DatabaseException.class,
                ArcUndeclaredThrowableException.class,
                SQLException.class
            },
            priority = 1)
    public Response database(Exception failure, UriInfo uri) {
        return answer(failure, uri);
    }

    /**
     * 503 for a database that cannot be reached, else 500: for a service's own mapper of what its
     * persistence layer wraps the driver's errors in (Hibernate's PersistenceException).
     */
    public static Response answer(Throwable failure, UriInfo uri) {
        if (unreachable(failure)) {
            LOG.warnf("database unavailable for %s: %s", uri.getPath(), failure.getMessage());
            return Problem.of(
                            503,
                            "Service Unavailable",
                            "the database cannot be reached; retry later (a write with the"
                                    + " same Idempotency-Key or event id: it is written whole or"
                                    + " not at all)",
                            null,
                            uri)
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .build();
        }
        LOG.errorf(failure, "unexpected error for %s", uri.getPath());
        return Problem.of(
                        500,
                        "Internal Server Error",
                        "an unexpected error; the service's log has it",
                        null,
                        uri)
                .build();
    }

    /**
     * SQLSTATE class 08 (connection exception) or 57P (the server shutting down or starting), or
     * the pool's timeout waiting for a connection — anywhere among the causes, the suppressed
     * exceptions (a failed commit's) and a batch's next exceptions.
     */
    static boolean unreachable(Throwable failure) {
        if (failure == null) {
            return false;
        }
        if (failure instanceof RollbackException rollback
                && rollback.getCause() == null
                && rollback.getSuppressed().length == 0) {
            return true;
        }
        if (failure instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                return true;
            }
            if (sql.getMessage() != null && sql.getMessage().contains("acquisition timeout")) {
                return true;
            }
            if (unreachable(sql.getNextException())) {
                return true;
            }
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            if (unreachable(suppressed)) {
                return true;
            }
        }
        return unreachable(failure.getCause());
    }
}
