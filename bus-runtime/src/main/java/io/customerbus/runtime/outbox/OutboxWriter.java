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
import java.time.Instant;
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

    // One statement for a whole request, a single event included. It first takes the advisory lock
    // of each of its customers, in one order: one customer's writers are serialised, so the order
    // of a customer's outbox ids is the order of their commits — the order the relay publishes
    // them in —, and two requests sharing customers queue rather than deadlock. The rows go in in
    // the request's order (its ordinality), with the attributes the relay needs beside the payload.
    private static final String INSERT =
            """
            WITH customer_locks AS (
                SELECT count(pg_advisory_xact_lock(?, h))
                FROM (SELECT DISTINCT h FROM unnest(?::int[]) AS h ORDER BY h) AS sorted)
            INSERT INTO customer_event_outbox (event_id, event_type, user_id, slot, payload,
                                               source, occurred_at, traceparent, tracestate)
            SELECT e.id, e.type, e.user_id, e.slot, e.payload, e.source,
                   'epoch'::timestamptz + e.micros * interval '1 microsecond', ?, ?
            FROM customer_locks,
                 unnest(?::uuid[], ?::text[], ?::text[], ?::int2[], ?::text[], ?::text[],
                        ?::int8[]) WITH ORDINALITY
                     AS e(id, type, user_id, slot, payload, source, micros, position)
            ORDER BY e.position
            """;

    /** 2^53 microseconds, the largest count a double holds exactly, in whole seconds. */
    private static final long MAX_EXACT_SECONDS = (1L << 53) / 1_000_000L - 1;

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
        int n = events.size();
        Integer[] customers = new Integer[n];
        Object[] ids = new Object[n];
        String[] types = new String[n];
        String[] users = new String[n];
        Short[] slots = new Short[n];
        String[] bodies = new String[n];
        String[] sources = new String[n];
        Long[] micros = new Long[n];
        Set<Integer> othersSlots = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            CustomerEvent event = events.get(i);
            int slot = OutboxSlots.of(event.userId(), config.slots());
            customers[i] = event.userId().hashCode();
            ids[i] = event.eventId();
            types[i] = event.eventType();
            users[i] = event.userId();
            slots[i] = (short) slot;
            bodies[i] = new String(payloads.get(i), StandardCharsets.UTF_8);
            sources[i] = event.source();
            micros[i] = epochMicros(event.occurredAt());
            if (!wakeUp.owns(slot)) {
                othersSlots.add(slot);
            }
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setInt(1, OutboxSlots.LOCK_NAMESPACE);
            insert.setArray(2, connection.createArrayOf("int4", customers));
            insert.setString(3, trace.map(TraceContext::traceparent).orElse(null));
            insert.setString(4, trace.map(TraceContext::tracestate).orElse(null));
            insert.setArray(5, connection.createArrayOf("uuid", ids));
            insert.setArray(6, connection.createArrayOf("text", types));
            insert.setArray(7, connection.createArrayOf("text", users));
            insert.setArray(8, connection.createArrayOf("int2", slots));
            insert.setArray(9, connection.createArrayOf("text", bodies));
            insert.setArray(10, connection.createArrayOf("text", sources));
            insert.setArray(11, connection.createArrayOf("int8", micros));
            insert.executeUpdate();
            for (int slot : othersSlots) {
                notifyOtherReplicas(connection, slot);
            }
        } catch (SQLException e) {
            throw new OutboxWriteException(
                    "could not write "
                            + n
                            + " event(s) to the outbox, the first "
                            + events.get(0).eventId(),
                    e);
        }
        transactions.registerInterposedSynchronization(new WakeAfterCommit());
    }

    /**
     * The event's time in microseconds since the epoch, for the statement's {@code micros *
     * interval '1 microsecond'}; null where the column could not hold it exactly (the relay then
     * takes the time from the payload, so that a record's time is always the event's): a time finer
     * than PostgreSQL's microseconds, or one so far from 1970 (before 1685, after 2255) that the
     * multiplication, done in double precision, would round it.
     */
    private static Long epochMicros(Instant time) {
        if (time.getNano() % 1_000 != 0 || Math.abs(time.getEpochSecond()) > MAX_EXACT_SECONDS) {
            return null;
        }
        return time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000;
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
