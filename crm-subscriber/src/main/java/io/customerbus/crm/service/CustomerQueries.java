package io.customerbus.crm.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.customerbus.crm.rest.CustomerMatch;
import io.customerbus.crm.rest.CustomerProfileView;
import io.customerbus.crm.rest.TimelineEntry;
import io.customerbus.crm.rest.TimelinePage;
import io.customerbus.events.json.CustomerEventJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/** Reads of the CRM store for its API. */
@ApplicationScoped
public class CustomerQueries {

    private static final String SEARCH =
            """
            SELECT p.user_id, p.last_seen, p.event_count, bool_or(m.by_user)
            FROM (SELECT user_id, true AS by_user FROM customer_profile WHERE user_id LIKE ?
                  UNION ALL
                  SELECT DISTINCT user_id, false FROM customer_product WHERE product_id LIKE ?) m
            JOIN customer_profile p USING (user_id)
            GROUP BY p.user_id, p.last_seen, p.event_count
            ORDER BY p.last_seen DESC, p.user_id
            LIMIT ?
            """;

    @Inject DataSource dataSource;

    public Optional<CustomerProfileView> profile(String userId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT first_seen, last_seen, event_count, last_contact FROM customer_profile WHERE user_id = ?")) {
            select.setString(1, userId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new CustomerProfileView(
                                userId,
                                instant(row, 1),
                                instant(row, 2),
                                row.getLong(3),
                                instant(row, 4),
                                map(
                                        connection,
                                        "SELECT event_type, count FROM customer_event_count WHERE user_id = ?",
                                        userId,
                                        Long.class),
                                map(
                                        connection,
                                        "SELECT currency, amount FROM customer_spend WHERE user_id = ?",
                                        userId,
                                        BigDecimal.class),
                                map(
                                        connection,
                                        "SELECT product_id, quantity FROM customer_product WHERE user_id = ? AND quantity > 0",
                                        userId,
                                        Long.class)));
            }
        }
    }

    /** Prefix search over user ids and the products customers bought (both indexed). */
    public List<CustomerMatch> search(String prefix, int limit) throws SQLException {
        String pattern = likePrefix(prefix);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(SEARCH)) {
            select.setString(1, pattern);
            select.setString(2, pattern);
            select.setInt(3, limit);
            List<CustomerMatch> matches = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    matches.add(
                            new CustomerMatch(
                                    row.getString(1),
                                    instant(row, 2),
                                    row.getLong(3),
                                    row.getBoolean(4) ? "userId" : "productId"));
                }
            }
            return matches;
        }
    }

    /** The user's text taken literally: % and _ are not wildcards here. */
    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    public TimelinePage timeline(String userId, String type, int page, int size)
            throws SQLException {
        String filter = type == null ? "" : " AND event_type = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT event_id, event_type, product_id, occurred_at, source, payload::text FROM crm_event"
                                        + " WHERE user_id = ?"
                                        + filter
                                        + " ORDER BY occurred_at DESC, event_id DESC LIMIT ? OFFSET ?");
                PreparedStatement count =
                        connection.prepareStatement(
                                "SELECT count(*) FROM crm_event WHERE user_id = ?" + filter)) {
            int index = bind(select, userId, type);
            select.setInt(index, size);
            select.setLong(index + 1, (long) page * size);
            List<TimelineEntry> items = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    items.add(
                            new TimelineEntry(
                                    row.getObject(1, UUID.class),
                                    row.getString(2),
                                    row.getString(3),
                                    instant(row, 4),
                                    row.getString(5),
                                    CustomerEventJson.mapper().readTree(row.getString(6))));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored event is not JSON", e);
            }
            bind(count, userId, type);
            try (ResultSet total = count.executeQuery()) {
                total.next();
                return new TimelinePage(items, page, size, total.getLong(1));
            }
        }
    }

    private static int bind(PreparedStatement statement, String userId, String type)
            throws SQLException {
        statement.setString(1, userId);
        if (type == null) {
            return 2;
        }
        statement.setString(2, type);
        return 3;
    }

    private static <V> Map<String, V> map(
            Connection connection, String sql, String userId, Class<V> type) throws SQLException {
        Map<String, V> values = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, userId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    values.put(row.getString(1), row.getObject(2, type));
                }
            }
        }
        return values;
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        java.sql.Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
