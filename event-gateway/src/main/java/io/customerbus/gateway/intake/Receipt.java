package io.customerbus.gateway.intake;

import java.time.Instant;
import java.util.UUID;

/**
 * What a publisher gets for an accepted event — on its first try and, unchanged, on every retry:
 * the event is committed to the outbox and will be on the bus.
 */
public record Receipt(UUID eventId, String eventType, String source, Instant acceptedAt) {}
