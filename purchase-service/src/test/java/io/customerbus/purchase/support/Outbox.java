package io.customerbus.purchase.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/** What the outbox and the purchase table hold, read with plain SQL. */
public final class Outbox {

    private final DataSource dataSource;

    public Outbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * True once the relay has had the event acknowledged by the broker: it then deletes the row
     * (callers know it was written: the request was answered).
     */
    public boolean isPublished(UUID eventId) {
        return count("SELECT count(*) FROM customer_event_outbox WHERE event_id = ?", eventId) == 0;
    }

    public long rowsForUser(String userId) {
        return count("SELECT count(*) FROM customer_event_outbox WHERE user_id = ?", userId);
    }

    public long purchasesOf(String userId) {
        return count("SELECT count(*) FROM purchase WHERE user_id = ?", userId);
    }

    private long count(String sql, Object parameter) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
