package io.customerbus.gateway.intake;

import io.customerbus.runtime.http.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The ledger of accepted event ids (table accepted_event), a whole request per statement. A
 * concurrent request claiming the same id waits on the primary key until the first commits or rolls
 * back, so exactly one of them writes the event. A claim also locks the ids it finds until its
 * transaction ends, and the expiry passes locked ids by: an id found is still there to be read.
 */
@ApplicationScoped
public class AcceptedEvents {

    /** An id as the ledger holds it. */
    public record Entry(
            UUID eventId,
            String publisher,
            String eventType,
            byte[] contentHash,
            Instant acceptedAt) {}

    // The ids go in in one order, whatever the request's: two requests sharing ids then wait for
    // each other on the first they share, where in their own orders each could hold an id the
    // other waits for (a deadlock, which PostgreSQL ends by failing one of them). An update that
    // changes nothing (WHERE false) is how an insert locks the rows it conflicts with without
    // returning them: RETURNING still lists only the new ids.
    private static final String CLAIM =
            """
            INSERT INTO accepted_event (event_id, publisher, event_type, content_hash)
            SELECT id, ?, type, hash FROM unnest(?::uuid[], ?::text[], ?::bytea[]) AS t(id, type, hash)
            ORDER BY id
            ON CONFLICT (event_id) DO UPDATE SET event_id = EXCLUDED.event_id WHERE false
            RETURNING event_id, accepted_at
            """;

    private static final String FIND =
            """
            SELECT event_id, publisher, event_type, content_hash, accepted_at
            FROM accepted_event WHERE event_id = ANY (?)
            """;

    @Inject DataSource dataSource;

    /**
     * Records the ids that are new, in the caller's transaction; returns when each new one was
     * accepted. Ids already in the ledger are left as they are, and locked until the transaction
     * ends.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<UUID, Instant> claim(String publisher, List<Fingerprint> events) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(CLAIM)) {
            insert.setString(1, publisher);
            insert.setArray(
                    2,
                    connection.createArrayOf(
                            "uuid", events.stream().map(Fingerprint::eventId).toArray()));
            insert.setArray(
                    3,
                    connection.createArrayOf(
                            "text", events.stream().map(Fingerprint::eventType).toArray()));
            insert.setArray(
                    4,
                    connection.createArrayOf(
                            "bytea",
                            events.stream().map(Fingerprint::hash).toArray(byte[][]::new)));
            Map<UUID, Instant> claimed = new HashMap<>();
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    claimed.put(rows.getObject(1, UUID.class), rows.getTimestamp(2).toInstant());
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw new DatabaseException("could not record the accepted events", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Map<UUID, Entry> find(Collection<UUID> eventIds) {
        Map<UUID, Entry> found = new HashMap<>();
        if (eventIds.isEmpty()) {
            return found;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(FIND)) {
            select.setArray(1, connection.createArrayOf("uuid", eventIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    found.put(
                            id,
                            new Entry(
                                    id,
                                    rows.getString(2),
                                    rows.getString(3),
                                    rows.getBytes(4),
                                    rows.getTimestamp(5).toInstant()));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new DatabaseException("could not read the accepted events", e);
        }
    }

    /**
     * Forgets the ids accepted before {@code cutoff}, a slice at a time so that no delete holds
     * many rows locked; returns how many. Ids a request has claimed are passed by, to be forgotten
     * next time: the request is reading them, and the delete never waits for a request that could
     * be waiting for a row the delete holds.
     */
    public long forgetAcceptedBefore(Instant cutoff) {
        String sql =
                """
                DELETE FROM accepted_event WHERE event_id IN (
                    SELECT event_id FROM accepted_event WHERE accepted_at < ?
                    LIMIT 10000 FOR UPDATE SKIP LOCKED)
                """;
        long forgotten = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setTimestamp(1, java.sql.Timestamp.from(cutoff));
            int deleted;
            do {
                deleted = delete.executeUpdate();
                forgotten += deleted;
            } while (deleted > 0);
            return forgotten;
        } catch (SQLException e) {
            throw new IllegalStateException("could not forget old accepted events", e);
        }
    }
}
