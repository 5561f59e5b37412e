package io.customerbus.events.outbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The relay's SQL, on the relay's own long-lived connection (it holds the slot locks). */
final class OutboxStore {

    /** Slot locks are session locks: they last as long as the relay's connection. */
    private static final int SLOT_LOCK_NAMESPACE = OutboxSlots.LOCK_NAMESPACE + 1;

    private OutboxStore() {}

    static boolean tryLockSlot(Connection connection, int slot) throws SQLException {
        try (PreparedStatement lock =
                connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            lock.setInt(1, SLOT_LOCK_NAMESPACE);
            lock.setInt(2, slot);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /**
     * The oldest pending rows of the given slots, in commit order per customer. Ordered by id
     * alone, with the slot as a filter, so that PostgreSQL walks the pending index in order.
     */
    static List<OutboxRow> pending(Connection connection, Collection<Integer> slots, int limit)
            throws SQLException {
        String sql =
                """
                SELECT id, event_type, user_id, payload, traceparent, tracestate, created_at
                FROM customer_event_outbox
                WHERE published_at IS NULL AND slot = ANY (?)
                ORDER BY id
                LIMIT ?
                """;
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setArray(1, connection.createArrayOf("smallint", slots.toArray()));
            select.setInt(2, limit);
            List<OutboxRow> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(
                            new OutboxRow(
                                    result.getLong(1),
                                    result.getString(2),
                                    result.getString(3),
                                    result.getString(4),
                                    result.getString(5),
                                    result.getString(6),
                                    result.getTimestamp(7).toInstant()));
                }
            }
            return rows;
        }
    }

    static void markPublished(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        String sql =
                "UPDATE customer_event_outbox SET published_at = clock_timestamp() WHERE id = ANY (?)";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            Array array = connection.createArrayOf("bigint", ids.toArray());
            update.setArray(1, array);
            update.executeUpdate();
        }
    }

    static int deletePublishedOlderThan(Connection connection, Duration retention)
            throws SQLException {
        String sql = "DELETE FROM customer_event_outbox WHERE published_at < ?";
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setTimestamp(1, Timestamp.from(java.time.Instant.now().minus(retention)));
            return delete.executeUpdate();
        }
    }

    static long backlog(Connection connection) throws SQLException {
        String sql = "SELECT count(*) FROM customer_event_outbox WHERE published_at IS NULL";
        try (PreparedStatement count = connection.prepareStatement(sql);
                ResultSet result = count.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }
}
