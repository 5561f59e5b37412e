package io.customerbus.runtime.outbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

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

    static void unlockSlot(Connection connection, int slot) throws SQLException {
        try (PreparedStatement unlock =
                connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            unlock.setInt(1, SLOT_LOCK_NAMESPACE);
            unlock.setInt(2, slot);
            unlock.execute();
        }
    }

    /** The transactional ids of the relays that took these slots before, other than {@code own}. */
    static Set<String> earlierRelays(Connection connection, Collection<Integer> slots, String own)
            throws SQLException {
        String sql =
                """
                SELECT DISTINCT transactional_id FROM customer_event_outbox_relay
                WHERE slot = ANY (?) AND transactional_id <> ?
                """;
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setArray(1, connection.createArrayOf("smallint", slots.toArray()));
            select.setString(2, own);
            Set<String> relays = new TreeSet<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    relays.add(result.getString(1));
                }
            }
            return relays;
        }
    }

    /** Records this relay as the slots' owner, for whoever takes them over after it. */
    static void recordRelay(Connection connection, Collection<Integer> slots, String own)
            throws SQLException {
        String sql =
                """
                INSERT INTO customer_event_outbox_relay (slot, transactional_id)
                SELECT unnest(?::smallint[]), ?
                ON CONFLICT (slot) DO UPDATE
                SET transactional_id = EXCLUDED.transactional_id, claimed_at = clock_timestamp()
                """;
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            upsert.setArray(1, connection.createArrayOf("smallint", slots.toArray()));
            upsert.setString(2, own);
            upsert.executeUpdate();
        }
    }

    /** A relay that stops cleanly leaves no transaction open: nobody need fence it. */
    static void forgetRelay(Connection connection, String own) throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement(
                        "DELETE FROM customer_event_outbox_relay WHERE transactional_id = ?")) {
            delete.setString(1, own);
            delete.executeUpdate();
        }
    }

    /** The rows of one read, and whether it stopped at a limit: more may be waiting. */
    record Pending(List<OutboxRow> rows, boolean full) {}

    /**
     * The oldest rows of the given slots, in commit order per customer (every row in the table is
     * pending: published rows are deleted), at most {@code limit} of them and no more than the
     * first row past {@code maxBytes} of payload: an event may be close to 1 MB, and a backlog of
     * such events read {@code limit} at a time would not fit in the relay's memory. Ordered by id
     * alone, with the slot as a filter, so that PostgreSQL walks the primary key in order; the
     * running sum reads the payloads' stored lengths, not the payloads.
     */
    static Pending pending(
            Connection connection, Collection<Integer> slots, int limit, int maxBytes)
            throws SQLException {
        String sql =
                """
                SELECT *
                FROM (SELECT id, event_id, event_type, user_id, payload, source, occurred_at,
                             traceparent, tracestate, created_at,
                             sum(octet_length(payload)) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING)
                                 AS bytes_through
                      FROM customer_event_outbox
                      WHERE slot = ANY (?)
                      ORDER BY id
                      LIMIT ?) oldest
                WHERE bytes_through - octet_length(payload) < ?
                ORDER BY id
                """;
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setArray(1, connection.createArrayOf("smallint", slots.toArray()));
            select.setInt(2, limit);
            select.setInt(3, maxBytes);
            List<OutboxRow> rows = new ArrayList<>();
            long bytes = 0;
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    OffsetDateTime occurredAt = result.getObject(7, OffsetDateTime.class);
                    rows.add(
                            new OutboxRow(
                                    result.getLong(1),
                                    result.getObject(2, UUID.class),
                                    result.getString(3),
                                    result.getString(4),
                                    result.getString(5),
                                    result.getString(6),
                                    occurredAt == null ? null : occurredAt.toInstant(),
                                    result.getString(8),
                                    result.getString(9),
                                    result.getTimestamp(10).toInstant()));
                    bytes = result.getLong(11);
                }
            }
            // A row left out for the bytes comes after rows that reach maxBytes together.
            return new Pending(rows, rows.size() == limit || bytes >= maxBytes);
        }
    }

    /** Acknowledged rows leave the outbox: the bus is the record of what was published. */
    static void deletePublished(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        String sql = "DELETE FROM customer_event_outbox WHERE id = ANY (?)";
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            Array array = connection.createArrayOf("bigint", ids.toArray());
            delete.setArray(1, array);
            delete.executeUpdate();
        }
    }

    /**
     * Removes the dead rows and refreshes the planner's statistics (both missing where autovacuum
     * is off). Needs autocommit; cheap on a table that holds only pending rows.
     */
    static void vacuum(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("VACUUM (ANALYZE) customer_event_outbox");
        }
    }

    static long backlog(Connection connection) throws SQLException {
        String sql = "SELECT count(*) FROM customer_event_outbox";
        try (PreparedStatement count = connection.prepareStatement(sql);
                ResultSet result = count.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }
}
