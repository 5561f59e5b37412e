package io.customerbus.crm.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.consumer.BusEvent;
import io.customerbus.events.json.CustomerEventJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Applies a batch of bus events in one transaction: new events go into the timeline (a redelivered
 * or replayed event is already there and changes nothing), and only the new ones update the
 * profiles. Whole batches are written with array parameters, a statement per table, so a full
 * replay costs a few round trips per thousand events.
 */
@ApplicationScoped
public class TimelineWriter {

    private static final String INSERT_EVENTS =
            """
            INSERT INTO crm_event (event_id, user_id, event_type, product_id, occurred_at, source, payload)
            SELECT e::uuid, u, t, p, o::timestamptz, s, j::jsonb
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS x(e, u, t, p, o, s, j)
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id
            """;

    @Inject DataSource dataSource;
    @Inject ProfileWriter profiles;

    public void apply(List<BusEvent> batch) throws SQLException {
        Map<UUID, CustomerEvent> unique = new LinkedHashMap<>();
        batch.forEach(received -> unique.putIfAbsent(received.event().eventId(), received.event()));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Set<UUID> inserted = insert(connection, unique.values());
                ProfileDeltas deltas = new ProfileDeltas();
                unique.values().stream()
                        .filter(e -> inserted.contains(e.eventId()))
                        .forEach(deltas::add);
                profiles.write(connection, deltas);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static Set<UUID> insert(
            Connection connection, java.util.Collection<CustomerEvent> events) throws SQLException {
        List<List<String>> columns = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            columns.add(new ArrayList<>(events.size()));
        }
        for (CustomerEvent event : events) {
            columns.get(0).add(event.eventId().toString());
            columns.get(1).add(event.userId());
            columns.get(2).add(event.eventType());
            columns.get(3).add(event.productId());
            columns.get(4).add(event.occurredAt().toString());
            columns.get(5).add(event.source());
            columns.get(6).add(json(event));
        }
        Set<UUID> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENTS)) {
            for (int i = 0; i < columns.size(); i++) {
                insert.setArray(i + 1, connection.createArrayOf("text", columns.get(i).toArray()));
            }
            try (ResultSet result = insert.executeQuery()) {
                while (result.next()) {
                    inserted.add(result.getObject(1, UUID.class));
                }
            }
        }
        return inserted;
    }

    private static String json(CustomerEvent event) {
        try {
            return CustomerEventJson.mapper().writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decoded event is always writable", e);
        }
    }
}
