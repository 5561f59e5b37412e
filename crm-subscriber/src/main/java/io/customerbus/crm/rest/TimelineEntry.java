package io.customerbus.crm.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** One event of a customer's timeline, as it was on the bus. */
public record TimelineEntry(
        UUID eventId,
        String eventType,
        String productId,
        Instant occurredAt,
        String source,
        JsonNode event) {}
