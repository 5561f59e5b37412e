package io.customerbus.events.cloudevents;

import io.customerbus.events.CustomerEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * What a bus record says of its event outside the body: the CloudEvents attributes id, type,
 * source, time and subject, the subject being the record's key too. A publisher that keeps them
 * beside the body (the outbox does) writes a record without parsing the body again.
 */
public record EventAttributes(
        UUID eventId, String eventType, String source, Instant occurredAt, String userId) {

    public static EventAttributes of(CustomerEvent event) {
        return new EventAttributes(
                event.eventId(),
                event.eventType(),
                event.source(),
                event.occurredAt(),
                event.userId());
    }
}
