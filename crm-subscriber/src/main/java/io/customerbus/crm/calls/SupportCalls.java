package io.customerbus.crm.calls;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.json.ValidEvent;
import io.customerbus.events.kafka.TraceContext;
import io.customerbus.runtime.outbox.OutboxWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ClientErrorException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Logs support calls by publishing them: the call row and its {@code support-call} event commit
 * together through the shared outbox. The CRM's own timeline learns of the call from the bus, like
 * every other CRM does, so a replaying CRM ends with the same data.
 */
@ApplicationScoped
public class SupportCalls {

    /** What logging produced: 201 for a new call, 200 for a retry of a logged one. */
    public record Outcome(int status, SupportCallView call) {}

    private static final String INSERT =
            """
            INSERT INTO support_call (call_id, user_id, event_id, channel, summary, agent, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (call_id) DO NOTHING
            """;
    private static final String SELECT =
            "SELECT call_id, event_id, user_id, channel, summary, agent, created_at"
                    + " FROM support_call WHERE call_id = ?";

    @Inject DataSource dataSource;
    @Inject OutboxWriter outbox;

    private final CustomerEventFactory events;

    @Inject
    SupportCalls(@ConfigProperty(name = "quarkus.application.name") String source) {
        this.events = new CustomerEventFactory(source);
    }

    @Transactional
    public Outcome log(String agent, String userId, SupportCallRequest request, TraceContext trace)
            throws SQLException {
        UUID callId = request.callId() != null ? request.callId() : UUID.randomUUID();
        CustomerEvent event =
                events.create(
                        EventTypes.SUPPORT_CALL,
                        userId,
                        null,
                        Map.of(
                                "callId", callId.toString(),
                                "channel", request.channel(),
                                "summary", request.summary(),
                                "agent", agent));
        // Encoded (and so refused, if the bus cannot carry it) before the call's row is written: a
        // summary with a NUL would otherwise fail in PostgreSQL as a 500, not as a 400 naming it.
        ValidEvent valid = CustomerEventCodec.valid(event);
        SupportCallView call =
                new SupportCallView(
                        callId,
                        event.eventId(),
                        userId,
                        request.channel(),
                        request.summary(),
                        agent,
                        event.occurredAt());
        try (Connection connection = dataSource.getConnection()) {
            if (insert(connection, call)) {
                outbox.appendAll(List.of(valid), Optional.of(trace));
                return new Outcome(201, call);
            }
            SupportCallView earlier = find(connection, callId);
            if (!earlier.userId().equals(userId)
                    || !earlier.channel().equals(request.channel())
                    || !earlier.summary().equals(request.summary())) {
                throw new ClientErrorException(
                        "call " + callId + " was already logged with other content", 409);
            }
            return new Outcome(200, earlier);
        }
    }

    private static boolean insert(Connection connection, SupportCallView call) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, call.callId());
            insert.setString(2, call.userId());
            insert.setObject(3, call.eventId());
            insert.setString(4, call.channel());
            insert.setString(5, call.summary());
            insert.setString(6, call.agent());
            insert.setTimestamp(7, Timestamp.from(call.occurredAt()));
            return insert.executeUpdate() == 1;
        }
    }

    private static SupportCallView find(Connection connection, UUID callId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setObject(1, callId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new SupportCallView(
                        row.getObject(1, UUID.class),
                        row.getObject(2, UUID.class),
                        row.getString(3),
                        row.getString(4),
                        row.getString(5),
                        row.getString(6),
                        row.getTimestamp(7).toInstant());
            }
        }
    }
}
