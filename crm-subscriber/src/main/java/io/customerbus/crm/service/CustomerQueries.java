package io.customerbus.crm.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerbus.crm.rest.CustomerMatch;
import io.customerbus.crm.rest.CustomerProfileView;
import io.customerbus.crm.rest.TimelineCursor;
import io.customerbus.crm.rest.TimelineEntry;
import io.customerbus.crm.rest.TimelinePage;
import io.customerbus.events.json.CarriageRules;
import io.customerbus.events.json.CustomerEventJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
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

    // The profile, computed from the customer's own timeline (and transfers made to them): only
    // sums, minima and maxima, so it does not depend on the order events arrived in.
    private static final String SUMMARY =
            """
            SELECT min(occurred_at), max(occurred_at), count(*),
                   max(occurred_at) FILTER (WHERE event_type = 'support-call')
            FROM crm_event WHERE user_id = ?
            """;

    /**
     * The longest number as jsonb gives it back, written out ({@code 1e-1000} as {@code 0.000…1}):
     * a sign, the carriage rules' digits on either side of the point, the point.
     */
    private static final int WRITTEN_OUT_NUMBER = 2 * CarriageRules.MAX_DIGITS + 2;

    /**
     * The events' JSON as jsonb gives it back, its numbers up to {@link #WRITTEN_OUT_NUMBER} —
     * longer than Jackson's default of 1,000 characters, which stays for every event read off the
     * bus.
     */
    private static final ObjectMapper STORED = storedJson();

    private static ObjectMapper storedJson() {
        ObjectMapper stored = CustomerEventJson.mapper().copy();
        stored.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxNumberLength(WRITTEN_OUT_NUMBER)
                                .build());
        return stored;
    }

    private static final String COUNTS =
            "SELECT event_type, count(*) FROM crm_event WHERE user_id = ? GROUP BY event_type";
    // The schema types a purchase's and a refund's quantity, not a transfer's: a number, or a text
    // of digits, counts; anything else counts as none given (1), rather than failing every
    // profile that holds it.
    private static final String QUANTITY =
            """
            (CASE WHEN jsonb_typeof(payload -> 'data' -> 'quantity') = 'number'
                    OR ((payload -> 'data' ->> 'quantity') ~ '^[+-]?[0-9]+([.][0-9]+)?$'
                        AND length(payload -> 'data' ->> 'quantity') <= %d)
                THEN (payload -> 'data' ->> 'quantity')::numeric ELSE 1 END)"""
                    .formatted(WRITTEN_OUT_NUMBER);
    private static final String SPEND =
            """
            SELECT payload -> 'data' ->> 'currency',
                   sum(CASE event_type
                       WHEN 'purchase' THEN coalesce((payload -> 'data' ->> 'totalPrice')::numeric,
                           (payload -> 'data' ->> 'unitPrice')::numeric * %1$s)
                       ELSE -(payload -> 'data' ->> 'amount')::numeric END)
            FROM crm_event WHERE user_id = ? AND event_type IN ('purchase', 'refund')
            GROUP BY 1
            """
                    .formatted(QUANTITY);
    private static final String PRODUCTS =
            """
            SELECT product_id, sum(quantity) FROM (
                SELECT product_id,
                       CASE event_type WHEN 'purchase' THEN %1$s ELSE -%1$s END AS quantity
                FROM crm_event
                WHERE user_id = ? AND event_type IN ('purchase', 'refund', 'product-transfer')
                UNION ALL
                SELECT product_id, %1$s FROM crm_event
                WHERE event_type = 'product-transfer' AND payload -> 'data' ->> 'toUserId' = ?
            ) owned GROUP BY product_id HAVING sum(quantity) > 0
            """
                    .formatted(QUANTITY);
    // Matches in user-id order, so the index does the work however broad the prefix.
    private static final String SEARCH =
            """
            WITH matched AS (
                SELECT user_id, bool_or(by_user) AS by_user FROM (
                    (SELECT DISTINCT user_id, true AS by_user FROM crm_event
                     WHERE user_id LIKE ? ORDER BY user_id LIMIT ?)
                    UNION ALL
                    (SELECT DISTINCT user_id, false FROM crm_event
                     WHERE product_id LIKE ? ORDER BY user_id LIMIT ?)
                ) candidates GROUP BY user_id ORDER BY user_id LIMIT ?)
            SELECT m.user_id, max(e.occurred_at), count(*), m.by_user
            FROM matched m JOIN crm_event e ON e.user_id = m.user_id
            GROUP BY m.user_id, m.by_user ORDER BY m.user_id
            """;

    @Inject DataSource dataSource;

    public Optional<CustomerProfileView> profile(String userId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement summary = connection.prepareStatement(SUMMARY)) {
            summary.setString(1, userId);
            try (ResultSet row = summary.executeQuery()) {
                row.next();
                if (row.getLong(3) == 0) {
                    return Optional.empty();
                }
                return Optional.of(
                        new CustomerProfileView(
                                userId,
                                instant(row, 1),
                                instant(row, 2),
                                row.getLong(3),
                                instant(row, 4),
                                map(connection, COUNTS, Long.class, userId),
                                map(connection, SPEND, BigDecimal.class, userId),
                                map(connection, PRODUCTS, BigDecimal.class, userId, userId)));
            }
        }
    }

    /** Prefix search over user ids and the products in customers' timelines (both indexed). */
    public List<CustomerMatch> search(String prefix, int limit) throws SQLException {
        String pattern = likePrefix(prefix);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(SEARCH)) {
            select.setString(1, pattern);
            select.setInt(2, limit);
            select.setString(3, pattern);
            select.setInt(4, limit);
            select.setInt(5, limit);
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

    /** A page of the timeline after the cursor (from the newest when null), and the total. */
    public TimelinePage timeline(String userId, String type, TimelineCursor after, int size)
            throws SQLException {
        String filter = type == null ? "" : " AND event_type = ?";
        String from = after == null ? "" : " AND (occurred_at, event_id) < (?, ?)";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT event_id, event_type, product_id, occurred_at, source,"
                                        + " payload::text FROM crm_event WHERE user_id = ?"
                                        + filter
                                        + from
                                        + " ORDER BY occurred_at DESC, event_id DESC LIMIT ?");
                PreparedStatement count =
                        connection.prepareStatement(
                                "SELECT count(*) FROM crm_event WHERE user_id = ?" + filter)) {
            int index = bind(select, userId, type);
            if (after != null) {
                select.setObject(index++, after.occurredAt().atOffset(ZoneOffset.UTC));
                select.setObject(index++, after.eventId());
            }
            // One more than the page: whether a next page exists.
            select.setInt(index, size + 1);
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
                                    STORED.readTree(row.getString(6))));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored event is not JSON", e);
            }
            String next = null;
            if (items.size() > size) {
                items.remove(size);
                TimelineEntry last = items.get(size - 1);
                next = new TimelineCursor(last.occurredAt(), last.eventId()).toString();
            }
            bind(count, userId, type);
            try (ResultSet total = count.executeQuery()) {
                total.next();
                return new TimelinePage(items, size, total.getLong(1), next);
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
            Connection connection, String sql, Class<V> type, String... parameters)
            throws SQLException {
        Map<String, V> values = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
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
