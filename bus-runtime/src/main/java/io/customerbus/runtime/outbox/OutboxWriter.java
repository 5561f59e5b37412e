package io.customerbus.runtime.outbox;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.json.ValidEvent;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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

    // A batch takes all its customers' locks first, in one order, so that two batches sharing
    // customers queue rather than deadlock (each INSERT then re-takes a lock it holds: free).
    private static final String LOCK_CUSTOMERS =
            """
            SELECT count(pg_advisory_xact_lock(?, h))
            FROM (SELECT DISTINCT h FROM unnest(?::int[]) AS h ORDER BY h) AS sorted
            """;

    @Inject DataSource dataSource;
    @Inject TransactionSynchronizationRegistry transactions;
    @Inject OutboxConfig config;
    @Inject OutboxWakeUp wakeUp;

    /** Validates the event against the schema and appends it; requires a transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(CustomerEvent event, Optional<TraceContext> trace) {
        write(List.of(event), List.of(CustomerEventCodec.encode(event)), trace);
    }

    /**
     * Appends events the codec has validated and encoded already, in order, in one round trip to
     * the database (a batch of a thousand costs little more than one); requires a transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(List<ValidEvent> events, Optional<TraceContext> trace) {
        write(
                events.stream().map(ValidEvent::event).toList(),
                events.stream().map(ValidEvent::json).toList(),
                trace);
    }

    private void write(
            List<CustomerEvent> events, List<byte[]> payloads, Optional<TraceContext> trace) {
        Set<Integer> othersSlots = new TreeSet<>();
        try (Connection connection = dataSource.getConnection()) {
            if (events.size() > 1) {
                lockCustomers(connection, events);
            }
            String traceparent = trace.map(TraceContext::traceparent).orElse(null);
            String tracestate = trace.map(TraceContext::tracestate).orElse(null);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (int i = 0; i < events.size(); i++) {
                    CustomerEvent event = events.get(i);
                    int slot = OutboxSlots.of(event.userId(), config.slots());
                    insert.setInt(1, OutboxSlots.LOCK_NAMESPACE);
                    insert.setInt(2, event.userId().hashCode());
                    insert.setObject(3, event.eventId());
                    insert.setString(4, event.eventType());
                    insert.setString(5, event.userId());
                    insert.setShort(6, (short) slot);
                    insert.setString(7, new String(payloads.get(i), StandardCharsets.UTF_8));
                    insert.setString(8, traceparent);
                    insert.setString(9, tracestate);
                    insert.addBatch();
                    if (!wakeUp.owns(slot)) {
                        othersSlots.add(slot);
                    }
                }
                // One round trip for the whole request, a single event included.
                insert.executeBatch();
            }
            for (int slot : othersSlots) {
                notifyOtherReplicas(connection, slot);
            }
        } catch (SQLException e) {
            throw new OutboxWriteException(
                    "could not write "
                            + events.size()
                            + " event(s) to the outbox, the first "
                            + events.get(0).eventId(),
                    e);
        }
        transactions.registerInterposedSynchronization(new WakeAfterCommit());
    }

    private static void lockCustomers(Connection connection, List<CustomerEvent> events)
            throws SQLException {
        Integer[] hashes = events.stream().map(e -> e.userId().hashCode()).toArray(Integer[]::new);
        try (PreparedStatement lock = connection.prepareStatement(LOCK_CUSTOMERS)) {
            lock.setInt(1, OutboxSlots.LOCK_NAMESPACE);
            lock.setArray(2, connection.createArrayOf("int4", hashes));
            lock.execute();
        }
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
