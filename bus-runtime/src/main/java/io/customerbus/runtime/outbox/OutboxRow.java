package io.customerbus.runtime.outbox;

import io.customerbus.events.cloudevents.EventAttributes;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A pending outbox row as the relay reads it. */
record OutboxRow(
        long id,
        UUID eventId,
        String eventType,
        String userId,
        String payload,
        String source,
        Instant occurredAt,
        String traceparent,
        String tracestate,
        Instant createdAt) {

    /** The record's attributes as stored beside the payload; empty where the writer did not. */
    Optional<EventAttributes> attributes() {
        if (source == null || occurredAt == null) {
            return Optional.empty();
        }
        return Optional.of(new EventAttributes(eventId, eventType, source, occurredAt, userId));
    }
}
