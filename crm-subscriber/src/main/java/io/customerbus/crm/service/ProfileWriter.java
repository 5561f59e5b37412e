package io.customerbus.crm.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds a batch's profile deltas with one upsert per table. Keys are written in sorted order, so two
 * CRM replicas updating the same customers take row locks in the same order (no deadlock).
 */
@ApplicationScoped
public class ProfileWriter {

    void write(Connection connection, ProfileDeltas deltas) throws SQLException {
        writeProfiles(connection, new TreeMap<>(deltas.profiles));
        writePairs(
                connection,
                sorted(deltas.typeCounts),
                """
                INSERT INTO customer_event_count (user_id, event_type, count)
                SELECT a, b, v::bigint FROM unnest(?::text[], ?::text[], ?::text[]) AS x(a, b, v)
                ON CONFLICT (user_id, event_type) DO UPDATE SET count = customer_event_count.count + EXCLUDED.count
                """);
        writePairs(
                connection,
                sorted(deltas.spend),
                """
                INSERT INTO customer_spend (user_id, currency, amount)
                SELECT a, b, v::numeric FROM unnest(?::text[], ?::text[], ?::text[]) AS x(a, b, v)
                ON CONFLICT (user_id, currency) DO UPDATE SET amount = customer_spend.amount + EXCLUDED.amount
                """);
        writePairs(
                connection,
                sorted(deltas.products),
                """
                INSERT INTO customer_product (user_id, product_id, quantity)
                SELECT a, b, v::bigint FROM unnest(?::text[], ?::text[], ?::text[]) AS x(a, b, v)
                ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = customer_product.quantity + EXCLUDED.quantity
                """);
    }

    private static void writeProfiles(
            Connection connection, Map<String, ProfileDeltas.Seen> profiles) throws SQLException {
        if (profiles.isEmpty()) {
            return;
        }
        List<String> users = new ArrayList<>(), first = new ArrayList<>(), last = new ArrayList<>();
        List<String> counts = new ArrayList<>(), contact = new ArrayList<>();
        profiles.forEach(
                (user, seen) -> {
                    users.add(user);
                    first.add(seen.first().toString());
                    last.add(seen.last().toString());
                    counts.add(Long.toString(seen.events()));
                    contact.add(seen.lastContact() == null ? null : seen.lastContact().toString());
                });
        String sql =
                """
                INSERT INTO customer_profile (user_id, first_seen, last_seen, event_count, last_contact)
                SELECT u, f::timestamptz, l::timestamptz, n::bigint, c::timestamptz
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS x(u, f, l, n, c)
                ON CONFLICT (user_id) DO UPDATE SET
                    first_seen = LEAST(customer_profile.first_seen, EXCLUDED.first_seen),
                    last_seen = GREATEST(customer_profile.last_seen, EXCLUDED.last_seen),
                    event_count = customer_profile.event_count + EXCLUDED.event_count,
                    last_contact = GREATEST(customer_profile.last_contact, EXCLUDED.last_contact)
                """;
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            List<List<String>> columns = List.of(users, first, last, counts, contact);
            for (int i = 0; i < columns.size(); i++) {
                upsert.setArray(i + 1, connection.createArrayOf("text", columns.get(i).toArray()));
            }
            upsert.executeUpdate();
        }
    }

    private static void writePairs(
            Connection connection, Map<Map.Entry<String, String>, String> values, String sql)
            throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        List<String> a = new ArrayList<>(), b = new ArrayList<>(), v = new ArrayList<>();
        values.forEach(
                (key, value) -> {
                    a.add(key.getKey());
                    b.add(key.getValue());
                    v.add(value);
                });
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            upsert.setArray(1, connection.createArrayOf("text", a.toArray()));
            upsert.setArray(2, connection.createArrayOf("text", b.toArray()));
            upsert.setArray(3, connection.createArrayOf("text", v.toArray()));
            upsert.executeUpdate();
        }
    }

    private static <N> Map<Map.Entry<String, String>, String> sorted(
            Map<Map.Entry<String, String>, N> values) {
        Map<Map.Entry<String, String>, String> sorted =
                new TreeMap<>(
                        Map.Entry.<String, String>comparingByKey()
                                .thenComparing(Map.Entry.comparingByValue()));
        values.forEach(
                (key, value) ->
                        sorted.put(
                                key,
                                value instanceof BigDecimal d
                                        ? d.toPlainString()
                                        : value.toString()));
        return sorted;
    }
}
