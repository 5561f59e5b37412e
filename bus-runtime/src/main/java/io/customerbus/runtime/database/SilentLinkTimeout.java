package io.customerbus.runtime.database;

import io.agroal.api.AgroalPoolInterceptor;
import io.customerbus.runtime.outbox.OutboxConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Bounds how long a statement on a pooled connection waits for the database to say anything. A link
 * that goes silent (a node or a NAT's state lost: no reset) would otherwise hold the request's
 * thread in a socket read for good; the transaction manager's timeout cannot free it, as its
 * rollback waits for the same connection. With the bound the read fails as a lost connection
 * (SQLSTATE 08006), the pool drops the connection, and the client gets a 503 to retry.
 *
 * <p>Only once the service has started: Flyway's migrations at start use the same pool, and one of
 * them may rightly keep the server busy, and silent, for minutes. The services with a datasource
 * are the outbox's writers; the relay's own connections are outside the pool, with their own
 * timeouts ({@code OutboxConnections}).
 */
@ApplicationScoped
@IfBuildProperty(name = OutboxConfig.ENABLED, stringValue = "true")
public class SilentLinkTimeout implements AgroalPoolInterceptor {

    private static final Logger LOG = Logger.getLogger(SilentLinkTimeout.class);

    /** PgJDBC applies a network timeout to its socket at once; it runs nothing on the executor. */
    private static final Executor IN_PLACE = Runnable::run;

    /** Zero: no bound. */
    @ConfigProperty(name = "bus.datasource.silent-link-timeout", defaultValue = "PT10S")
    Duration timeout;

    private volatile boolean started;

    // Early among the start observers: any of them may use the pool.
    void onStart(@Observes @Priority(1) StartupEvent event) {
        started = true;
    }

    @Override
    public void onConnectionAcquire(Connection connection) {
        if (started && !timeout.isZero()) {
            set(connection, (int) timeout.toMillis());
        }
    }

    /** The pool resets a connection's transaction settings on return, not this one. */
    @Override
    public void onConnectionReturn(Connection connection) {
        if (started && !timeout.isZero()) {
            set(connection, 0);
        }
    }

    private static void set(Connection connection, int millis) {
        try {
            connection.setNetworkTimeout(IN_PLACE, millis);
        } catch (SQLException e) {
            // A connection already broken: the pool is about to drop it anyway.
            LOG.debugf("network timeout not set on a pooled connection: %s", e.getMessage());
        }
    }
}
