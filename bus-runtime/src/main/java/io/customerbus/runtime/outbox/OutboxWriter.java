package io.customerbus.runtime.outbox;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.kafka.TraceContext;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Puts an event in the outbox inside the caller's transaction, so the business row and the event
 * commit or roll back together: a request that returned success has its event on the bus
 * eventually, whatever happens to this process or to Kafka afterwards.
 */
@ApplicationScoped
@IfBuildProperty(name = OutboxConfig.ENABLED, stringValue = "true")
public class OutboxWriter {

    // The advisory lock serialises one customer's writers, so the order of the outbox ids of a
    // customer is the order of their commits: the order the relay publishes them in.
    private static final String INSERT =
            """
            WITH customer_lock AS (SELECT pg_advisory_xact_lock(?, ?))
            INSERT INTO customer_event_outbox
                (event_id, event_type, user_id, slot, payload, traceparent, tracestate)
            SELECT ?, ?, ?, ?, ?, ?, ? FROM customer_lock
            """;

    @Inject DataSource dataSource;
    @Inject TransactionSynchronizationRegistry transactions;
    @Inject OutboxConfig config;
    @Inject OutboxWakeUp wakeUp;

    /** Validates the event against the schema and appends it; requires a transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(CustomerEvent event, Optional<TraceContext> trace) {
        String payload = new String(CustomerEventCodec.encode(event), StandardCharsets.UTF_8);
        int slot = OutboxSlots.of(event.userId(), config.slots());
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setInt(1, OutboxSlots.LOCK_NAMESPACE);
                insert.setInt(2, event.userId().hashCode());
                insert.setObject(3, event.eventId());
                insert.setString(4, event.eventType());
                insert.setString(5, event.userId());
                insert.setShort(6, (short) slot);
                insert.setString(7, payload);
                insert.setString(8, trace.map(TraceContext::traceparent).orElse(null));
                insert.setString(9, trace.map(TraceContext::tracestate).orElse(null));
                insert.executeUpdate();
            }
            if (!wakeUp.owns(slot)) {
                notifyOtherReplicas(connection, slot);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not write event " + event.eventId() + " to the outbox", e);
        }
        transactions.registerInterposedSynchronization(new WakeAfterCommit());
    }

    /** Delivered by PostgreSQL at commit, to the replica whose relay owns the slot. */
    private static void notifyOtherReplicas(Connection connection, int slot) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, OutboxListener.CHANNEL);
            notify.setString(2, Integer.toString(slot));
            notify.execute();
        }
    }

    private final class WakeAfterCommit implements Synchronization {
        @Override
        public void beforeCompletion() {}

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                wakeUp.wake();
            }
        }
    }
}
